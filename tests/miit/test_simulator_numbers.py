"""Numbers (RULES.md, "Numbers"): 京ICP备12345678号 for the subject, -1, -2… for its websites, each issued once and
never reused — also when approvals run at the same moment on PostgreSQL."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection

from core import clock as portal_clock
from miit.models import NumberSequence, RegistrySubject, RegistryWebsite, Submission
from miit.simulator import processing
from tests.miit import registry

SUBJECT_NUMBER = re.compile(r"^京ICP备(\d{8})号$")


def nowhere(url, body, headers):
    """A callback transport for tests that only look at the administration's side."""
    return 503, "not listening"


@pytest.fixture
def quiet_callbacks(settings):
    settings.MIIT_CALLBACK_TRANSPORT = "tests.miit.test_simulator_numbers.nowhere"


def person(n: int) -> dict:
    return {
        "name": f"负责人{n}",
        "certificate_type": "resident_id",
        "certificate_number": registry.resident_id(),
        "mobile": f"1380013{n:04d}",
    }


def due_submission(key: str, kind: str, payload: dict) -> Submission:
    return Submission.objects.create(
        submission_key=f"{key}-1",
        order_reference=key,
        provider="示例云计算有限公司",
        order_type=kind,
        province_id="110000",
        payload={"order_number": key, "order_type": kind, **payload},
        sms_required=False,
        status=Submission.Status.IN_REVIEW,
        received_at=portal_clock.now() - timedelta(days=30),
        decide_at=portal_clock.now() - timedelta(seconds=1),
    )


def first_filing(n: int) -> Submission:
    certificate = registry.credit_code()
    name = f"北京并发{n}号科技有限公司"
    domain = f"concurrent-{n}.cn"
    registry.registration(
        domain, holder_name=name, holder_certificate_type="business_licence", holder_certificate_number=certificate
    )
    return due_submission(
        f"ICPFIRST{n:07d}",
        "first_filing",
        {
            "filed_subject_icp_number": "",
            "subject": {
                "nature": "enterprise",
                "certificate_type": "business_licence",
                "certificate_number": certificate,
                "name": name,
                "principal": person(n),
            },
            "websites": [
                {
                    "id": n,
                    "name": f"并发网站{n}",
                    "domains": [{"name": domain, "ascii_name": domain}],
                    "principal": person(n),
                }
            ],
        },
    )


def add_website(subject: RegistrySubject, n: int) -> Submission:
    domain = f"more-{n}.cn"
    registry.registration(domain, holder=subject)
    return due_submission(
        f"ICPADD{n:09d}",
        "add_website",
        {
            "filed_subject_icp_number": subject.icp_number,
            "subject": {
                "nature": subject.nature,
                "certificate_type": subject.certificate_type,
                "certificate_number": subject.certificate_number,
                "name": subject.name,
            },
            "websites": [
                {
                    "id": n,
                    "name": f"新增网站{n}",
                    "domains": [{"name": domain, "ascii_name": domain}],
                    "principal": person(n),
                }
            ],
        },
    )


def decide_all_at_once(submissions) -> list:
    start = threading.Barrier(len(submissions))
    outcomes = []

    def decide(pk):
        try:
            start.wait()
            outcomes.append(processing.submission_process(pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(s.pk,)) for s in submissions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_filings_get_distinct_subject_numbers(quiet_callbacks):
    before = NumberSequence.objects.get(pk="110000").last_value
    submissions = [first_filing(n) for n in range(8)]
    assert decide_all_at_once(submissions) == ["approved"] * 8
    numbers = [s.decision["subject_icp_number"] for s in Submission.objects.all()]
    assert len(set(numbers)) == 8
    values = sorted(int(SUBJECT_NUMBER.match(n).group(1)) for n in numbers)
    assert values == list(range(before + 1, before + 9))
    assert NumberSequence.objects.get(pk="110000").last_value == before + 8
    assert sorted(RegistryWebsite.objects.values_list("icp_number", flat=True)) == sorted(f"{n}-1" for n in numbers)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_new_websites_of_one_subject_get_distinct_numbers(quiet_callbacks):
    subject = registry.registry_subject(websites=(("already-there.cn", True),))
    submissions = [add_website(subject, n) for n in range(6)]
    assert decide_all_at_once(submissions) == ["approved"] * 6
    numbers = sorted(RegistryWebsite.objects.filter(subject=subject).values_list("icp_number", flat=True))
    assert numbers == sorted(f"{subject.icp_number}-{i}" for i in range(1, 8))


@pytest.mark.django_db
def test_a_cancelled_websites_number_is_never_given_again(quiet_callbacks):
    subject = registry.registry_subject(websites=(("first-site.cn", True),))
    RegistryWebsite.objects.filter(subject=subject).update(status="cancelled")
    submission = add_website(subject, 1)
    assert processing.submission_process(submission.pk) == "approved"
    assert Submission.objects.get(pk=submission.pk).decision["websites"] == [
        {"id": 1, "icp_number": f"{subject.icp_number}-2"}
    ]
