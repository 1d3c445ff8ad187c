"""The published schema against the running portal (docs/api.md, "The schemathesis run"): every operation of
/api/schema/, called with generated data as the demo applicant and as the demo reviewer, answers no server error and
conforms to the schema (status code, content type, body, headers). `make schemathesis` runs it (RUN_SCHEMATHESIS=1,
throttles off); it prints the operations and cases it ran.

Path parameters are generated (mostly unknown records: 404s) and also fixed to records the callers can reach, so the
generated bodies meet real orders, websites, people, instances and webhooks in their states.
"""

import contextlib
import os
import socket
from collections import Counter

import pytest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("RUN_SCHEMATHESIS") != "1", reason="set RUN_SCHEMATHESIS=1 (make schemathesis)"),
]

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "20"))
# Data that fits the schema, and data that does not (the answer must then be a documented 4xx, never a 500).
MODES = tuple(os.environ.get("SCHEMATHESIS_MODES", "positive,negative").split(","))
# Session-only, and one that would revoke the run's own token.
EXCLUDED = {"auth_token_create", "auth_token_revoke"}
DOCUMENTATION_ADDRESS = "93.184.216.34"


def _no_network(monkeypatch):
    """Webhook URLs the run registers resolve to an address that is never contacted: the sender is a recorder."""
    from notifications import webhooks

    def resolve(host, port):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (DOCUMENTATION_ADDRESS, port))]

    monkeypatch.setattr(webhooks, "_resolve", resolve)
    monkeypatch.setattr(webhooks, "_post", lambda target, body, headers: 200)


def _records(make_order, tokens, precheck_passes_module):
    """Records both callers can reach: the applicant's orders in several states, an instance, a service number, a
    webhook; orders in the reviewers' queues."""
    from filings import services as filings
    from filings.constants import OrderStatus as S
    from notifications import webhooks
    from websites import services as website_services
    from websites.constants import Billing, CloudRegion

    applicant = tokens["applicant"].user
    draft = make_order(applicant=applicant)
    make_order(applicant=applicant, status=S.INITIAL_REJECTED)
    make_order(applicant=applicant, status=S.MIIT_RETURNED)
    instance = website_services.instance_buy(
        owner=applicant,
        name="api",
        region=CloudRegion.HANGZHOU,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    website_services.service_number_apply(instance_id=instance.pk, actor=applicant)
    endpoint, _secret = webhooks.webhook_endpoint_create(owner=applicant, url="https://hooks.example.net/icp")
    queued = [make_order() for _ in range(3)]
    with precheck_passes_module():
        for order in queued:
            filings.order_submit(order_id=order.pk, actor=order.applicant)
    make_order(status=S.PENDING_MIIT_SUBMISSION)
    website = draft.websites.get()
    return {
        "number": draft.number,
        "website_id": website.pk,
        "person_id": draft.people.get().pk,
        "domain_id": website.domains.get().pk,
        "instance_id": instance.instance_id,
        "endpoint_id": endpoint.pk,
        "queue": "initial",
    }, {"number": queued[0].number, "queue": "initial"}


def _run(strategy, operation, role, headers, base_url, checks, statuses, failures) -> int:
    """Call ``operation`` with up to MAX_EXAMPLES generated cases; failed checks are recorded, not shrunk."""
    import hypothesis
    import hypothesis.errors
    from hypothesis import HealthCheck, Phase

    count = 0

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def run(case):
        nonlocal count
        count += 1
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (Exception, BaseExceptionGroup) as failure:  # a failed check is recorded, not shrunk
            found = getattr(failure, "exceptions", None) or [failure]
            details = "; ".join(f"{type(e).__name__}: {str(e)[:300]}" for e in found)
            failures.append(f"{role} {case.method} {case.formatted_path} -> {response.status_code}: {details}")

    # Negative data for an operation that takes nothing to get wrong cannot be made: nothing to run then.
    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        run()
    return count


def test_every_operation_conforms_to_the_schema(live_server, settings, monkeypatch, make_order, capsys):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from accounts.management.commands.seed_api_tokens import seed_api_tokens

    settings.API_THROTTLE_ENABLED = False
    _no_network(monkeypatch)
    tokens = seed_api_tokens()

    @contextlib.contextmanager
    def precheck_passes():
        with monkeypatch.context() as patch:
            patch.setattr("filings.precheck.order_precheck", lambda order: [])
            yield

    applicant_ids, reviewer_ids = _records(make_order, tokens, precheck_passes)
    known = {"applicant": applicant_ids, "reviewer": reviewer_ids}

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        response_headers_conformance,
    ]
    operations, cases, statuses, failures = 0, 0, Counter(), []

    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") in EXCLUDED:
            continue
        operations += 1
        for role, token in tokens.items():
            headers = {"Authorization": f"Token {token.key}"}
            names = {p.name for p in operation.path_parameters}
            fixed = {name: value for name, value in known[role].items() if name in names}
            modes = [schemathesis.GenerationMode(mode) for mode in MODES]
            strategies = [operation.as_strategy(mode) for mode in modes]
            if fixed and len(fixed) == len(names):
                strategies += [operation.as_strategy(mode, path_parameters=fixed) for mode in modes]
            for strategy in strategies:
                cases += _run(strategy, operation, role, headers, live_server.url, checks, statuses, failures)

    summary = f"schemathesis: {operations} operations, {cases} cases, {len(failures)} failures"
    with capsys.disabled():
        print(f"\n{summary}; statuses {dict(sorted(statuses.items()))}")
        for failure in failures[:30]:
            print(" -", failure)
    assert operations >= 50
    assert not failures, summary
