"""Webhooks: registration refuses what is not https on a public address; an order event reaches a real receiver
(https on 127.0.0.1, allowed for this test only) signed so the recipe in docs/api.md verifies it, with an id to
de-duplicate on; a failing receiver is retried with backoff and then marked failed."""

import datetime
import ipaddress
import json
import re
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from filings import services as filings
from notifications import webhooks
from notifications.constants import Channel, OutboxStatus
from notifications.delivery import outbox_sweep
from notifications.models import OutboxMessage, WebhookEndpoint

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
PUBLIC = "93.184.216.34"  # what a public host name resolves to here; nothing is ever sent to it


def documented_recipe():
    """The verification function exactly as docs/api.md gives it to receivers."""
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"```python\n(# webhook-verification-recipe.*?)```", text, re.DOTALL).group(1)
    namespace: dict = {}
    exec(compile(block, str(DOCS), "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace["verify_icp_webhook"]


def resolving_to(*addresses):
    def fake(host, port):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    return fake


# --- registration ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "addresses", "code"),
    [
        ("http://hooks.example.net/icp", (PUBLIC,), "https_required"),
        ("ftp://hooks.example.net/icp", (PUBLIC,), "https_required"),
        ("https://127.0.0.1/icp", ("127.0.0.1",), "private_address"),
        ("https://localhost:8443/icp", ("127.0.0.1", "::1"), "private_address"),
        ("https://10.0.0.7/icp", ("10.0.0.7",), "private_address"),
        ("https://internal.example.net/icp", ("192.168.1.20",), "private_address"),
        ("https://metadata.example.net/", ("169.254.169.254",), "private_address"),
        ("https://[::ffff:127.0.0.1]/icp", ("::ffff:127.0.0.1",), "private_address"),
        ("https://mixed.example.net/", (PUBLIC, "172.16.0.9"), "private_address"),
        ("https://user:pw@hooks.example.net/", (PUBLIC,), "credentials_in_url"),
    ],
)
def test_registration_refuses_what_is_not_https_on_a_public_address(as_applicant, monkeypatch, url, addresses, code):
    monkeypatch.setattr(webhooks, "_resolve", resolving_to(*addresses))
    response = as_applicant.post("/api/v1/webhooks/register/", {"url": url}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["url"][0]["code"] == code
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_does_not_resolve_is_refused(as_applicant, monkeypatch):
    def nowhere(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(webhooks, "_resolve", nowhere)
    response = as_applicant.post("/api/v1/webhooks/register/", {"url": "https://nx.example.net/"}, format="json")
    assert response.json()["fields"]["url"][0]["code"] == "unresolvable"


def test_a_public_https_url_is_registered_and_its_secret_shown_once(as_applicant, as_other, monkeypatch):
    monkeypatch.setattr(webhooks, "_resolve", resolving_to(PUBLIC))
    response = as_applicant.post(
        "/api/v1/webhooks/register/", {"url": "https://hooks.example.net/icp", "description": "CRM"}, format="json"
    )
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get()
    assert created["secret"] not in endpoint.secret_encrypted
    assert webhooks.webhook_secret(endpoint) == created["secret"]
    shown = as_applicant.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert "secret" not in shown
    assert as_other.get(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 404
    assert as_other.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").status_code == 404
    rotated = as_applicant.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").json()["secret"]
    assert rotated != created["secret"]
    moved = as_applicant.patch(
        f"/api/v1/webhooks/{endpoint.pk}/update/", {"url": "http://hooks.example.net/"}, format="json"
    )
    assert moved.status_code == 400
    assert as_applicant.post(f"/api/v1/webhooks/{endpoint.pk}/delete/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_the_test_only_setting_is_off_everywhere_but_where_a_test_switches_it_on(settings):
    from icpfiling.settings import base

    assert base.WEBHOOK_ALLOW_PRIVATE_TARGETS is False
    assert settings.WEBHOOK_ALLOW_PRIVATE_TARGETS is False


# --- a real receiver -------------------------------------------------------------------------------------------------


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: the receiver's, and the CA bundle the sender trusts in this test."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "receiver.pem", directory / "receiver.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Receiver:
    """An https server on 127.0.0.1 in a thread, recording each request and answering ``status``."""

    def __init__(self, cert_path, key_path):
        self.requests: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}/hooks/icp?source=portal"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings, tmp_path):
    cert_path, key_path = _certificate(tmp_path)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # this test's own receiver, and nowhere else
    settings.WEBHOOK_CA_BUNDLE = str(cert_path)
    server = Receiver(cert_path, key_path)
    yield server
    server.stop()


@pytest.fixture
def registered(as_applicant, receiver):
    response = as_applicant.post("/api/v1/webhooks/register/", {"url": receiver.url}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _submit(order):
    filings.order_submit(order_id=order.pk, actor=order.applicant)


def test_an_order_event_arrives_signed_as_the_docs_say(registered, receiver, applicant, make_order, precheck_passes):
    order = make_order(applicant=applicant)
    _submit(order)
    row = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
    assert (row.event, row.address) == ("order.submitted", str(registered["id"]))
    assert outbox_sweep() >= 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/icp?source=portal"
    verify = documented_recipe()
    assert verify(registered["secret"], body, headers["X-ICP-Signature"])
    assert not verify("whsec_wrong", body, headers["X-ICP-Signature"])
    assert not verify(registered["secret"], body + b" ", headers["X-ICP-Signature"])
    payload = json.loads(body)
    assert payload["id"] == headers["X-ICP-Event-Id"] == webhooks.event_id(row)
    assert payload["type"] == headers["X-ICP-Event"] == "order.submitted"
    assert payload["data"]["order_number"] == order.number
    assert payload["data"]["url"].endswith(f"/filing/orders/{order.number}/")


def test_each_event_has_its_own_id_and_other_accounts_hear_nothing(
    registered, receiver, applicant, make_order, precheck_passes
):
    first, second, theirs = make_order(applicant=applicant), make_order(applicant=applicant), make_order()
    _submit(first)
    _submit(second)
    _submit(theirs)
    filings.order_withdraw(order_id=first.pk, actor=applicant)  # a move that tells nobody
    assert OutboxMessage.objects.filter(channel=Channel.WEBHOOK).count() == 2
    outbox_sweep()
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert sorted(b["data"]["order_number"] for b in bodies) == sorted([first.number, second.number])
    assert len({b["id"] for b in bodies}) == 2


def test_a_failing_receiver_is_retried_with_backoff_and_then_marked_failed(
    registered, receiver, applicant, make_order, precheck_passes, clock
):
    receiver.status = 500
    clock.freeze()
    _submit(make_order(applicant=applicant))
    row = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
    waits = []
    for _attempt in range(5):
        before = clock.now()
        outbox_sweep()
        row.refresh_from_db()
        if row.status == OutboxStatus.PENDING:
            waits.append(round((row.due_at - before).total_seconds()))
            assert outbox_sweep() == 0  # not due yet: nothing is sent again before the backoff
            clock.advance(row.due_at - before)
    assert waits == [30, 120, 600, 1800]
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 5)
    assert "HTTP 500" in row.last_error
    assert len(receiver.requests) == 5
    # Every attempt carries the same event id, so a receiver that did act on one can ignore the others.
    assert len({r["headers"]["X-ICP-Event-Id"] for r in receiver.requests}) == 1


def test_deliveries_are_listed_for_their_endpoint(
    as_applicant, registered, receiver, applicant, make_order, precheck_passes
):
    receiver.status = 503
    _submit(make_order(applicant=applicant))
    outbox_sweep()
    listed = as_applicant.get(f"/api/v1/webhooks/{registered['id']}/deliveries/").json()
    [delivery] = listed["results"]
    assert (delivery["event"], delivery["status"], delivery["attempts"]) == ("order.submitted", "pending", 1)
    assert delivery["event_id"].startswith("evt_")
    assert "HTTP 503" in delivery["last_error"]


def test_the_address_is_checked_again_before_each_send(
    registered, receiver, applicant, make_order, precheck_passes, settings, monkeypatch
):
    """A host name that now resolves to a private address (DNS rebinding) gets nothing: the row fails at once."""
    _submit(make_order(applicant=applicant))
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    connected = []
    monkeypatch.setattr(webhooks, "_post", lambda *args: connected.append(args) or 200)
    outbox_sweep()
    row = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert "private_address" in row.last_error
    assert connected == [] and receiver.requests == []


def test_the_request_goes_to_the_address_that_was_checked(monkeypatch):
    """The host name is resolved once per send and the connection made to that address, the name kept for TLS."""
    monkeypatch.setattr(webhooks, "_resolve", resolving_to(PUBLIC))
    target = webhooks.resolve_target("https://hooks.example.net:8443/a/b?c=d")
    assert (target.host, target.port, target.path, target.addresses) == (
        "hooks.example.net",
        8443,
        "/a/b?c=d",
        (PUBLIC,),
    )
    assert target.host_header == "hooks.example.net:8443"


def test_a_switched_off_endpoint_gets_nothing_and_a_deleted_one_fails_its_pending_rows(
    as_applicant, registered, receiver, applicant, make_order, precheck_passes
):
    as_applicant.patch(f"/api/v1/webhooks/{registered['id']}/update/", {"active": False}, format="json")
    _submit(make_order(applicant=applicant))
    assert not OutboxMessage.objects.filter(channel=Channel.WEBHOOK).exists()
    as_applicant.patch(f"/api/v1/webhooks/{registered['id']}/update/", {"active": True}, format="json")
    _submit(make_order(applicant=applicant))
    row = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
    as_applicant.post(f"/api/v1/webhooks/{registered['id']}/delete/")
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    outbox_sweep()
    assert receiver.requests == []
