"""Sending what the outbox holds: claim, send, record.

The claim protocol (docs/notifications.md): in a short transaction, rows that are pending, due and not leased are
locked with ``FOR UPDATE SKIP LOCKED`` (a row another sender is claiming is simply skipped), given a lease and one
more attempt, and the transaction commits. The sending happens outside any lock; the result is recorded only on a
row whose lease is still ours. So the task enqueued after commit and the beat sweeper, or two copies of the task,
never send one message twice; a sender that dies leaves a lease that runs out, and the row is sent later.
In-app messages are written and marked sent in one transaction, so they are delivered exactly once even then.
"""

import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core import clock

from . import conf
from .constants import Channel, OutboxStatus
from .models import InboxMessage, OutboxMessage
from .rendering import render_message
from .selectors import inbox_unread_count_forget
from .sms import PermanentDeliveryError, get_gateway
from .webhooks import webhook_send

logger = logging.getLogger(__name__)


def outbox_claim(*, ids=None, limit: int | None = None) -> list[OutboxMessage]:
    """Lease up to ``limit`` deliverable rows (of ``ids``, if given) to the caller. Set-based: one locking select,
    one update."""
    limit = limit or conf.get("BATCH_SIZE")
    now, real_now = clock.now(), timezone.now()
    with transaction.atomic():
        deliverable = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, due_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=real_now))
            .order_by("due_at", "pk")
        )
        if ids is not None:
            deliverable = deliverable.filter(pk__in=list(ids))
        claimed = list(deliverable.values_list("pk", flat=True)[:limit])
        if not claimed:
            return []
        lease = real_now + timedelta(seconds=conf.get("LEASE_SECONDS"))
        OutboxMessage.objects.filter(pk__in=claimed).update(leased_until=lease, attempts=F("attempts") + 1)
        return list(OutboxMessage.objects.filter(pk__in=claimed).select_related("recipient").order_by("pk"))


def outbox_deliver(*, ids=None) -> int:
    """Deliver the given rows (the task after commit), or every due row (the sweeper). Returns how many were sent."""
    if ids is None:
        return outbox_sweep()
    sent, remaining = 0, set(ids)
    while remaining:
        batch = outbox_claim(ids=remaining)
        if not batch:
            break
        sent += sum(_deliver(message) for message in batch)
        remaining -= {message.pk for message in batch}
    return sent


def outbox_sweep(*, max_batches: int = 20) -> int:
    """The beat sweep: whatever is due and pending — the broker was down, a retry came due, a lease ran out."""
    sent = 0
    for _ in range(max_batches):
        batch = outbox_claim()
        if not batch:
            break
        sent += sum(_deliver(message) for message in batch)
    return sent


def _holding(message: OutboxMessage):
    """The row, only while the lease this sender took is still the row's."""
    return OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING, leased_until=message.leased_until)


def _deliver(message: OutboxMessage) -> bool:
    try:
        if message.channel == Channel.WEBHOOK:
            return _deliver_webhook(message)
        rendered = render_message(
            event=message.event, channel=message.channel, context=message.context, language=message.language
        )
        if message.channel == Channel.IN_APP:
            return _deliver_in_app(message, rendered)
        if message.channel == Channel.EMAIL:
            reference = _send_email(message, rendered)
        else:
            reference = get_gateway().send(to=message.address, body=rendered.body, reference=f"outbox-{message.pk}")
    except PermanentDeliveryError as exc:
        _record_failure(message, exc, permanent=True)
        return False
    except Exception as exc:
        _record_failure(message, exc)
        return False
    marked = _holding(message).update(
        status=OutboxStatus.SENT, sent_at=clock.now(), leased_until=None, last_error="", provider_reference=reference
    )
    if not marked:
        logger.error("outbox message %s was sent after its lease ran out", message.pk)
    return True


def _deliver_webhook(message: OutboxMessage) -> bool:
    """A signed POST to the owner's receiver (notifications.webhooks); failures retry like any other channel."""
    reference = webhook_send(message)
    marked = _holding(message).update(
        status=OutboxStatus.SENT, sent_at=clock.now(), leased_until=None, last_error="", provider_reference=reference
    )
    if not marked:
        logger.error("outbox message %s was sent after its lease ran out", message.pk)
    return True


def _deliver_in_app(message: OutboxMessage, rendered) -> bool:
    with transaction.atomic():
        if not _holding(message).select_for_update().exists():
            return False
        inbox, _created = InboxMessage.objects.get_or_create(
            outbox=message,
            defaults={
                "user_id": message.recipient_id,
                "event": message.event,
                "title": rendered.subject[:200],
                "body": rendered.body,
                "link": str(message.context.get("link", ""))[:300],
                "created_at": clock.now(),
            },
        )
        if _created:
            inbox_unread_count_forget(message.recipient_id)
        _holding(message).update(
            status=OutboxStatus.SENT,
            sent_at=clock.now(),
            leased_until=None,
            last_error="",
            provider_reference=f"inbox:{inbox.pk}",
        )
    return True


def _send_email(message: OutboxMessage, rendered) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    # A fixed Message-ID per outbox row: a mail system that sees a message twice (after a lost lease) can tell.
    message_id = f"<outbox-{message.pk}@{domain}>"
    email = EmailMessage(
        subject=rendered.subject,
        body=rendered.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers={"Message-ID": message_id, "X-Outbox-Id": str(message.pk)},
    )
    email.send()
    return message_id


def backoff(attempts: int) -> timedelta:
    steps = conf.get("BACKOFF_SECONDS")
    return timedelta(seconds=steps[min(attempts, len(steps)) - 1])


def _record_failure(message: OutboxMessage, exc: Exception, *, permanent: bool = False) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if permanent or message.attempts >= conf.get("MAX_ATTEMPTS"):
        logger.warning("outbox message %s failed for good: %s", message.pk, error)
        _holding(message).update(status=OutboxStatus.FAILED, leased_until=None, last_error=error)
    else:
        logger.info("outbox message %s: attempt %s failed: %s", message.pk, message.attempts, error)
        _holding(message).update(due_at=clock.now() + backoff(message.attempts), leased_until=None, last_error=error)
