"""Webhooks: order events pushed to the applicant's own https URL, signed, through the outbox (docs/api.md).

An applicant registers a URL; the portal makes the secret (shown once, kept encrypted). Every order event the
outbox stores for the applicant (``order.*``: submitted, rejected, passed, forwarded, approved, expiring, …) gets one
more row per active endpoint, channel ``webhook``, in the same transaction as the move; delivery claims it like any
other row, retries it with the outbox's backoff, and marks it failed after the last attempt (an operator can retry
it from the admin).

The request is ``POST <url>`` with the JSON body ``{"id", "type", "created_at", "data"}`` and the headers
``X-ICP-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` (``core.signing``), ``X-ICP-Event-Id``
(the same on every retry of one event: de-duplicate on it) and ``X-ICP-Event``. Any 2xx answer delivers it.

A receiver must be ``https`` and resolve only to public addresses — no loopback, private, link-local, multicast or
reserved ones — checked at registration and again before every send, and the connection goes to the address that
was checked (the host name is kept for TLS), so a DNS answer that changes in between cannot turn the portal against
its own network. ``WEBHOOK_ALLOW_PRIVATE_TARGETS`` lifts the address rule for the test suite's own receiver only.
"""

import hashlib
import ipaddress
import json
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock, crypto, signing

from . import conf
from .constants import Channel, OutboxStatus
from .models import OutboxMessage, WebhookEndpoint

SECRET_PURPOSE = "notifications.webhook-secret"  # noqa: S105 (a key-derivation label, not a secret)
EVENT_ID_HEADER = "X-ICP-Event-Id"
EVENT_TYPE_HEADER = "X-ICP-Event"
# The events pushed to webhooks: everything about the applicant's orders.
EVENT_PREFIXES = ("order.",)
MAX_ENDPOINTS_PER_OWNER = 5
CONNECT_TIMEOUT, READ_TIMEOUT = 3.05, 10


class WebhookRefused(Exception):
    """A URL that cannot receive webhooks: ``code`` for machines, ``message`` for people."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


class DeliveryFailed(Exception):
    """The receiver could not be reached or did not answer 2xx: try again later."""


def is_webhook_event(event: str) -> bool:
    return event.startswith(EVENT_PREFIXES)


# --- the target rule -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == 443 else f"{host}:{self.port}"


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False):
        return not address.is_unspecified and not address.is_multicast
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def _resolve(host: str, port: int) -> list:
    """``socket.getaddrinfo`` for one host (tests replace this function, never the socket module)."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def resolve_target(url: str) -> Target:
    """The URL's host, port and path, with the addresses it resolves to — all public, or WebhookRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError:
        raise WebhookRefused("invalid_url", _("Enter a valid URL.")) from None
    if parts.scheme != "https":
        raise WebhookRefused("https_required", _("Webhook URLs must start with https://."))
    if parts.username or parts.password:
        raise WebhookRefused("credentials_in_url", _("Leave user names and passwords out of the URL."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise WebhookRefused("invalid_url", _("Enter a valid URL."))
    try:
        found = _resolve(host, port)
    except (OSError, UnicodeError):
        raise WebhookRefused("unresolvable", _("This host name does not resolve to an address.")) from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if not _allowed(address):
            raise WebhookRefused(
                "private_address",
                _("Webhook URLs must resolve to public internet addresses, not local or private ones."),
            )
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise WebhookRefused("unresolvable", _("This host name does not resolve to an address."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(host=host, port=port, path=path, addresses=tuple(addresses))


# --- selectors -------------------------------------------------------------------------------------------------------


def webhook_endpoints_of(user):
    return WebhookEndpoint.objects.filter(owner=user).order_by("-created_at", "-id")


def webhook_endpoint_of(user, endpoint_id: int) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(owner=user, pk=endpoint_id).first()


def webhook_deliveries_of(endpoint: WebhookEndpoint):
    """The outbox rows of this endpoint, newest first."""
    return OutboxMessage.objects.filter(channel=Channel.WEBHOOK, address=str(endpoint.pk)).order_by(
        "-created_at", "-id"
    )


def active_endpoints_by_owner(owner_ids) -> dict[int, list[int]]:
    """{owner id: [active endpoint ids]} in one query (notify_many's fan-out)."""
    found: dict[int, list[int]] = {}
    if not owner_ids:
        return found
    rows = WebhookEndpoint.objects.filter(owner_id__in=list(owner_ids), active=True).order_by("pk")
    for owner_id, endpoint_id in rows.values_list("owner_id", "pk"):
        found.setdefault(owner_id, []).append(endpoint_id)
    return found


# --- services --------------------------------------------------------------------------------------------------------


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def webhook_secret(endpoint: WebhookEndpoint) -> str | None:
    return crypto.decrypt(endpoint.secret_encrypted, purpose=SECRET_PURPOSE)


@transaction.atomic
def webhook_endpoint_create(*, owner, url: str, description: str = "") -> tuple[WebhookEndpoint, str]:
    """Register a receiver; returns it and its secret, which is not shown again. Raises WebhookRefused."""
    resolve_target(url)
    # The owner's row first, so two registrations at once count one after the other.
    type(owner).objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True).first()
    if WebhookEndpoint.objects.filter(owner=owner).count() >= MAX_ENDPOINTS_PER_OWNER:
        raise WebhookRefused(
            "too_many_endpoints",
            _("At most %(count)d webhook URLs per account: delete one first.") % {"count": MAX_ENDPOINTS_PER_OWNER},
        )
    secret = _new_secret()
    now = clock.now()
    endpoint = WebhookEndpoint.objects.create(
        owner=owner,
        url=url,
        description=description,
        secret_encrypted=crypto.encrypt(secret, purpose=SECRET_PURPOSE),
        created_at=now,
        updated_at=now,
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url: str | None = None, description: str | None = None, active: bool | None = None
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if url is not None and url != endpoint.url:
        resolve_target(url)
        endpoint.url = url
    if description is not None:
        endpoint.description = description
    if active is not None:
        endpoint.active = active
    endpoint.updated_at = clock.now()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, effective for every send from now on (retries of earlier events included)."""
    secret = _new_secret()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        secret_encrypted=crypto.encrypt(secret, purpose=SECRET_PURPOSE), updated_at=clock.now()
    )
    return secret


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove the receiver; its pending deliveries fail (nothing is sent to a URL the owner took back)."""
    OutboxMessage.objects.filter(channel=Channel.WEBHOOK, address=str(endpoint.pk), status=OutboxStatus.PENDING).update(
        status=OutboxStatus.FAILED, last_error="endpoint deleted", leased_until=None
    )
    endpoint.delete()


# --- sending ---------------------------------------------------------------------------------------------------------


def event_id(message: OutboxMessage) -> str:
    """The event's id for the receiver: the same on every retry of one row, different for every row."""
    return "evt_" + hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]


def webhook_body(message: OutboxMessage) -> bytes:
    data = dict(message.context)
    link = data.get("link")
    if link:
        data["url"] = conf.get("SITE_URL").rstrip("/") + str(link)
    payload = {"id": event_id(message), "type": message.event, "created_at": message.created_at, "data": data}
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def _post(target: Target, body: bytes, headers: dict) -> int:
    """POST to one of the checked addresses (never a fresh DNS answer), verifying TLS for the host name."""
    last_error = None
    for address in target.addresses:
        pool = urllib3.HTTPSConnectionPool(
            host=address,
            port=target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=getattr(settings, "WEBHOOK_CA_BUNDLE", None) or certifi.where(),
            timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT),
            retries=False,
            maxsize=1,
        )
        try:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers={**headers, "Host": target.host_header},
                redirect=False,
                retries=False,
                preload_content=False,
            )
            response.read(64 * 1024, decode_content=False)
            response.release_conn()
            return response.status
        except urllib3.exceptions.HTTPError as exc:
            last_error = exc
        finally:
            pool.close()
    raise DeliveryFailed(f"could not reach the receiver: {last_error}")


def webhook_send(message: OutboxMessage) -> str:
    """Deliver one webhook row; returns the provider reference. Raises ``PermanentDeliveryError`` when there is
    nothing to send to (endpoint gone, inactive, unsafe), ``DeliveryFailed`` for a retry."""
    from .sms import PermanentDeliveryError

    endpoint = WebhookEndpoint.objects.filter(pk=int(message.address)).first() if message.address.isdigit() else None
    if endpoint is None or not endpoint.active:
        raise PermanentDeliveryError("the webhook endpoint was removed or switched off")
    secret = webhook_secret(endpoint)
    if not secret:
        raise PermanentDeliveryError("the webhook secret cannot be read (SECRET_KEY changed?)")
    try:
        target = resolve_target(endpoint.url)
    except WebhookRefused as refused:
        if refused.code == "unresolvable":
            raise DeliveryFailed(str(refused.message)) from None
        raise PermanentDeliveryError(f"refused target: {refused.code}") from None
    body = webhook_body(message)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ICP-Filing-Portal-Webhooks/1",
        signing.SIGNATURE_HEADER: signing.sign(secret=secret, body=body),
        EVENT_ID_HEADER: event_id(message),
        EVENT_TYPE_HEADER: message.event,
    }
    status = _post(target, body, headers)
    if not 200 <= status < 300:
        raise DeliveryFailed(f"the receiver answered HTTP {status}")
    return f"webhook:{endpoint.pk}:http-{status}"


def webhook_rows(*, owner_id: int, endpoint_ids, common: dict, idempotency_key: str) -> list[OutboxMessage]:
    """The outbox rows of one event for one owner's endpoints (built by ``notify_many``)."""
    return [
        OutboxMessage(
            channel=Channel.WEBHOOK,
            address=str(endpoint_id),
            idempotency_key=f"{idempotency_key}:w{endpoint_id}",
            **common,
        )
        for endpoint_id in endpoint_ids
    ]
