"""Every write of the notifications app.

``notify``/``notify_many`` (and ``notify_query``, for the rows of a query) store messages in the outbox inside the
caller's transaction and ask for delivery after commit; a broker that is down costs nothing but a delay, since the
sweeper sends whatever is still pending.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.expressions import Expression

from core import clock, phone

from . import bulk, events, selectors, webhooks
from .constants import Channel, OutboxStatus
from .models import InboxMessage, NotificationPreference, OutboxMessage

logger = logging.getLogger(__name__)

_FAIL_FAST = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


class TransactionRequired(RuntimeError):
    """``notify`` was called outside ``transaction.atomic``: the message would not share its cause's fate."""


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise TransactionRequired("notify() must run inside transaction.atomic, with the change that causes it")


@dataclass(frozen=True)
class Notice:
    """One event for one recipient. ``recipient`` (a user) gets e-mail and in-app messages, ``mobile`` the SMS.

    ``idempotency_key`` names the occurrence (``order-event:42``); the recipient and channel are added to it, so one
    key serves every recipient of the occurrence.
    """

    event: str
    context: dict
    idempotency_key: str
    recipient: object = None
    mobile: str = ""
    channels: tuple[str, ...] | None = None
    language: str | None = None
    due_at: datetime | None = None


def notify(
    *,
    event: str,
    context: dict,
    idempotency_key: str,
    recipient=None,
    mobile: str = "",
    channels: Iterable[str] | None = None,
    language: str | None = None,
    due_at: datetime | None = None,
) -> list[int]:
    """Store the messages of one event for one recipient; returns the ids of its pending outbox rows.

    Must run inside ``transaction.atomic`` (TransactionRequired otherwise). Calling it again with the same
    ``idempotency_key`` stores nothing new.
    """
    return notify_many(
        [
            Notice(
                event=event,
                context=context,
                idempotency_key=idempotency_key,
                recipient=recipient,
                mobile=mobile,
                channels=tuple(channels) if channels is not None else None,
                language=language,
                due_at=due_at,
            )
        ]
    )


def notify_many(notices: Iterable[Notice]) -> list[int]:
    """``notify`` for many notices at once: one query for the preferences, one insert, one read of the ids."""
    _require_transaction()
    notices = list(notices)
    if not notices:
        return []
    preferences = _preferences_of({n.recipient.pk for n in notices if n.recipient is not None})
    endpoints = webhooks.active_endpoints_by_owner(
        {n.recipient.pk for n in notices if n.recipient is not None and _pushes_webhooks(n)}
    )
    now = clock.now()
    rows = []
    for notice in notices:
        rows.extend(_rows_for(notice, preferences, now, endpoints))
    if not rows:
        return []
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        OutboxMessage.objects.filter(
            idempotency_key__in={row.idempotency_key for row in rows}, status=OutboxStatus.PENDING
        ).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(partial(enqueue_delivery, ids), robust=True)
    return ids


def notify_query(
    *,
    event: str,
    source: QuerySet,
    recipient: Expression,
    idempotency_key: Expression,
    context: dict[str, Expression],
    position: Expression | None = None,
) -> list[int]:
    """``notify_many`` for one notice per row of ``source``, stored in one statement with no Python object per
    notice (``notifications.bulk``): for sweeps over thousands of rows. ``recipient`` (a user id), ``idempotency_key``
    and the values of ``context`` are expressions on ``source``'s model; ``position`` orders the rows (default: pk).
    Events with texts (SMS) are refused: their numbers are checked in Python, by ``notify_many``.

    Must run inside ``transaction.atomic``. Returns the ids of the rows it stored; a key already stored adds nothing.
    """
    _require_transaction()
    definition = events.get(event)
    ids = bulk.outbox_insert_from(
        event=definition,
        source=source,
        recipient=recipient,
        idempotency_key=idempotency_key,
        context=context,
        position=position if position is not None else F("pk"),
        webhooks=webhooks.is_webhook_event(definition.key),
        now=clock.now(),
    )
    if ids:
        transaction.on_commit(partial(enqueue_delivery, ids), robust=True)
    return ids


def _preferences_of(user_ids) -> dict[int, tuple[str, frozenset]]:
    if not user_ids:
        return {}
    return {
        user_id: (language, frozenset(email_off or ()))
        for user_id, language, email_off in NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "language", "email_off"
        )
    }


def _pushes_webhooks(notice: Notice) -> bool:
    """Order events go to the recipient's webhooks too, unless the caller chose the channels without them."""
    if not webhooks.is_webhook_event(notice.event):
        return False
    return notice.channels is None or Channel.WEBHOOK in notice.channels


def _rows_for(notice: Notice, preferences, now, endpoints=None) -> list[OutboxMessage]:
    definition = events.get(notice.event)
    channels = definition.channels if notice.channels is None else notice.channels
    undeclared = set(channels) - set(definition.channels) - {Channel.WEBHOOK}
    if undeclared:
        raise ValueError(f"event {definition.key!r} has no templates for {sorted(undeclared)}")
    recipient = notice.recipient
    language, email_off = preferences.get(getattr(recipient, "pk", None), (settings.LANGUAGE_CODE, frozenset()))
    common = {
        "recipient": recipient,
        "event": definition.key,
        "context": notice.context,
        "language": notice.language or language,
        "status": OutboxStatus.PENDING,
        "due_at": notice.due_at or now,
        "created_at": now,
    }
    rows = []
    for channel in channels:
        if channel == Channel.SMS:
            mobile = _mobile(notice.mobile)
            if mobile:
                rows.append(
                    OutboxMessage(
                        channel=channel, address=mobile, idempotency_key=f"{notice.idempotency_key}:m{mobile}", **common
                    )
                )
            continue
        if recipient is None:
            continue
        key = f"{notice.idempotency_key}:u{recipient.pk}"
        if channel == Channel.EMAIL:
            if not recipient.email or (definition.key in email_off and not definition.mandatory):
                continue
            rows.append(OutboxMessage(channel=channel, address=recipient.email, idempotency_key=key, **common))
        elif channel != Channel.WEBHOOK:
            rows.append(OutboxMessage(channel=channel, address="", idempotency_key=key, **common))
    if recipient is not None and _pushes_webhooks(notice):
        rows.extend(
            webhooks.webhook_rows(
                owner_id=recipient.pk,
                endpoint_ids=(endpoints or {}).get(recipient.pk, ()),
                common=common,
                idempotency_key=notice.idempotency_key,
            )
        )
    return rows


def _mobile(number: str) -> str:
    if not number:
        return ""
    try:
        return phone.normalise_mobile(number)
    except ValueError:
        logger.warning("no SMS: %r is not a mainland mobile number", number)
        return ""


# Ids per delivery task: a task claims its rows 50 at a time by id, so one huge list would be read again and again;
# many tasks also spread a sweep's messages over the workers.
DELIVERY_TASK_SIZE = 4000


def enqueue_delivery(ids: list[int]) -> None:
    """Runs after commit: one delivery task per 4 000 ids, over one connection. A broker error is logged, never
    raised: the rows are stored and the sweeper sends them."""
    from .tasks import deliver_messages

    ids = list(ids)
    batches = [ids[start : start + DELIVERY_TASK_SIZE] for start in range(0, len(ids), DELIVERY_TASK_SIZE)]
    app = deliver_messages.app
    try:
        if app.conf.task_always_eager:
            for batch in batches:
                deliver_messages.apply_async(args=[batch])
            return
        # Its own connection, told to give up after one quick retry: kombu's default keeps reconnecting for the
        # whole connect timeout, which a request that already committed should not wait for.
        with app.connection_for_write(transport_options=_FAIL_FAST) as connection:
            for batch in batches:
                deliver_messages.apply_async(args=[batch], connection=connection, retry=False)
    except Exception:
        logger.warning("could not enqueue outbox messages %s; the sweeper will send them", ids, exc_info=True)


def outbox_retry(*, ids: Iterable[int]) -> int:
    """An operator's retry: failed rows become pending, due now, their attempts kept (one more try each)."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=list(ids), status=OutboxStatus.FAILED)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, due_at=clock.now(), leased_until=None
        )
        transaction.on_commit(partial(enqueue_delivery, ids), robust=True)
    return len(ids)


def inbox_mark_read(*, user, message_id: int) -> InboxMessage:
    """Raises InboxMessage.DoesNotExist for a message that is not ``user``'s."""
    message = InboxMessage.objects.get(pk=message_id, user=user)
    if message.read_at is None:
        message.read_at = clock.now()
        InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
        selectors.inbox_unread_count_forget(user.pk)
    return message


def inbox_mark_all_read(*, user) -> int:
    marked = InboxMessage.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())
    selectors.inbox_unread_count_forget(user.pk)
    return marked


def preferences_save(*, user, language: str, email_on: Iterable[str]) -> NotificationPreference:
    """``email_on``: the optional events the person wants e-mail for; every other optional event is switched off."""
    email_on = set(email_on)
    optional = [e.key for e in events.all_events() if e.email_optional]
    email_off = sorted(key for key in optional if key not in email_on)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"language": language, "email_off": email_off}
    )
    return preference
