"""Callbacks to the portal: every result the administration reaches is an ``OutboundCallback`` row written in the
same transaction as the result, then POSTed to ``PORTAL_CALLBACK_URL`` — signed (``core.signing``, header
``X-ICP-Signature``, secret ``MIIT_CALLBACK_SECRET``) and carrying an ``event_id`` the portal records once.

Delivery is claimed with ``skip_locked`` and a lease (``next_attempt_at`` moved past the request), so the task
enqueued after commit and the beat sweep never post one row at the same time. The portal's answer decides what
follows: 200 delivered (applied now, or already applied); 409 not ready (the order has not reached the state the
event needs: retried with backoff); another 4xx failed at once (an operator looks and retries in the admin); a 5xx
or no answer retried with backoff. Retries are due times in the database that beat sweeps, never broker countdowns.

The transport is ``MIIT_CALLBACK_TRANSPORT``: ``http`` (``requests``), ``inprocess`` (Django's test client inside
this process: the same URL, middleware and view, without a socket — tests and the embedded run), or a dotted path
to a callable ``(url, body, headers) -> (status, text)``. Empty: ``http`` when ``MIIT_GATEWAY`` is ``http``, else
``inprocess``.
"""

import json
import logging
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from core import clock, signing

from .models import CallbackType, OutboundCallback

logger = logging.getLogger(__name__)

DEFAULT_CALLBACK_URL = "http://127.0.0.1:8000/filing/callbacks/administration/"
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 20
BACKOFF_BASE_SECONDS = 5
BACKOFF_MAX_SECONDS = 3600
SWEEP_BATCH = 100


def callback_url() -> str:
    return getattr(settings, "PORTAL_CALLBACK_URL", "") or DEFAULT_CALLBACK_URL


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … doubling per failed attempt, at most an hour."""
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def callback_create(*, submission, type: CallbackType, data: dict, now: datetime) -> OutboundCallback:
    """Record an event for the portal; runs inside the transaction of the result it reports, and delivers it once
    that transaction commits."""
    event_id = uuid.uuid4().hex
    callback = OutboundCallback.objects.create(
        event_id=event_id,
        submission=submission,
        order_reference=submission.order_reference,
        type=type,
        payload={
            "event_id": event_id,
            "type": str(type),
            "order_number": submission.order_reference,
            "submission_key": submission.submission_key,
            "occurred_at": now.isoformat(),
            "data": data,
        },
        next_attempt_at=now,
        created_at=now,
    )
    transaction.on_commit(lambda: _enqueue([callback.pk]), robust=True)
    return callback


def callbacks_create_bulk(rows: list[tuple], *, now: datetime) -> list[OutboundCallback]:
    """``[(submission_id, order_reference, submission_key, type, data), …]`` in one insert (set-based sweeps)."""
    callbacks = []
    for submission_id, order_reference, submission_key, type, data in rows:
        event_id = uuid.uuid4().hex
        callbacks.append(
            OutboundCallback(
                event_id=event_id,
                submission_id=submission_id,
                order_reference=order_reference,
                type=type,
                payload={
                    "event_id": event_id,
                    "type": str(type),
                    "order_number": order_reference,
                    "submission_key": submission_key,
                    "occurred_at": now.isoformat(),
                    "data": data,
                },
                next_attempt_at=now,
                created_at=now,
            )
        )
    created = OutboundCallback.objects.bulk_create(callbacks)
    ids = [c.pk for c in created if c.pk is not None]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return created


def _enqueue(ids: list[int]) -> None:
    from miit.tasks import deliver_callbacks

    deliver_callbacks.delay(ids)


# --- transport --------------------------------------------------------------------------------------------------


def _post_http(url: str, body: bytes, headers: dict) -> tuple[int, str]:
    response = requests.post(url, data=body, headers=headers, timeout=(3.05, 10))
    return response.status_code, response.text[:500]


def _post_in_process(url: str, body: bytes, headers: dict) -> tuple[int, str]:
    """The same request through Django's handler in this process (middleware, URL resolution, the view)."""
    from django.test import Client

    parts = urlsplit(url)
    client = Client(HTTP_HOST=parts.netloc or "127.0.0.1", raise_request_exception=False)
    extra = {key: value for key, value in headers.items() if key.lower() != "content-type"}
    response = client.post(parts.path, data=body, content_type="application/json", headers=extra)
    return response.status_code, response.content.decode(errors="replace")[:500]


def transport():
    name = getattr(settings, "MIIT_CALLBACK_TRANSPORT", "") or ""
    if not name:
        name = "http" if (getattr(settings, "MIIT_GATEWAY", "") or "").lower() == "http" else "inprocess"
    if name == "http":
        return _post_http
    if name in ("inprocess", "in_process"):
        return _post_in_process
    return import_string(name)


def signed_request(payload: dict) -> tuple[bytes, dict]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        signing.SIGNATURE_HEADER: signing.sign(secret=getattr(settings, "MIIT_CALLBACK_SECRET", ""), body=body),
    }
    return body, headers


# --- delivery ---------------------------------------------------------------------------------------------------


def callbacks_claim(*, ids: list[int] | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    """Take the due, pending callbacks (of ``ids``, or any) for one delivery attempt: their due time moves past a
    lease, so nobody else takes them meanwhile. Rows someone holds right now are skipped."""
    now = clock.now()
    with transaction.atomic():
        due = OutboundCallback.objects.select_for_update(skip_locked=True).filter(
            status=OutboundCallback.Status.PENDING, next_attempt_at__lte=now
        )
        if ids is not None:
            due = due.filter(pk__in=ids)
        claimed = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
        if claimed:
            OutboundCallback.objects.filter(pk__in=claimed).update(next_attempt_at=now + LEASE)
    return claimed


def _outcome(callback: OutboundCallback, *, status: int | None, text: str, now: datetime) -> None:
    callback.attempts += 1
    callback.last_status_code = status
    if status == 200:
        callback.status = OutboundCallback.Status.DELIVERED
        callback.delivered_at = now
        callback.last_error = ""
    elif status is not None and 400 <= status < 500 and status not in (409, 429):
        callback.status = OutboundCallback.Status.FAILED
        callback.last_error = f"HTTP {status}: {text}"
    else:
        callback.last_error = f"HTTP {status}: {text}" if status is not None else text
        if callback.attempts >= MAX_ATTEMPTS:
            callback.status = OutboundCallback.Status.FAILED
        else:
            callback.next_attempt_at = now + backoff(callback.attempts)
    callback.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "status",
            "delivered_at",
            "last_error",
            "next_attempt_at",
        ]
    )


def callback_send(callback_id: int) -> int | None:
    """POST one claimed callback and record the answer. Returns the HTTP status (None: no answer)."""
    callback = OutboundCallback.objects.get(pk=callback_id)
    if callback.status != OutboundCallback.Status.PENDING:
        return None
    status, text = None, ""
    try:
        body, headers = signed_request(callback.payload)
        status, text = transport()(callback_url(), body, headers)
    except (requests.RequestException, signing.SignatureError, OSError) as exc:
        text = f"{type(exc).__name__}: {exc}"
        logger.warning("callback %s to the portal failed: %s", callback.event_id, text)
    _outcome(callback, status=status, text=text, now=clock.now())
    return status


def callbacks_deliver(*, ids: list[int] | None = None, limit: int = SWEEP_BATCH) -> int:
    """Deliver what is due (of ``ids`` or any); returns how many the portal took (200)."""
    delivered = 0
    for pk in callbacks_claim(ids=ids, limit=limit):
        if callback_send(pk) == 200:
            delivered += 1
    return delivered


def callbacks_retry(*, ids) -> int:
    """The admin's retry: failed (or waiting) callbacks become due now, with a fresh count of attempts."""
    now = clock.now()
    ids = list(
        OutboundCallback.objects.filter(pk__in=list(ids))
        .exclude(status=OutboundCallback.Status.DELIVERED)
        .values_list("pk", flat=True)
    )
    OutboundCallback.objects.filter(pk__in=ids).update(
        status=OutboundCallback.Status.PENDING, next_attempt_at=now, attempts=0
    )
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return len(ids)
