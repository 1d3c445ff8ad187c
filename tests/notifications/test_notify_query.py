"""notify_query(): the notices of a query's rows, stored in one statement, are the rows notify_many stores for the
same notices — channels, addresses, language, e-mail preference, webhooks, keys — once, and delivered after commit."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

from notifications import services
from notifications.constants import Channel, OutboxStatus
from notifications.models import InboxMessage, NotificationPreference, OutboxMessage, WebhookEndpoint
from notifications.services import Notice, TransactionRequired, notify_many, notify_query
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
FIELDS = (
    "recipient_id",
    "channel",
    "address",
    "event",
    "context",
    "language",
    "status",
    "attempts",
    "last_error",
    "idempotency_key",
    "due_at",
    "created_at",
    "leased_until",
    "sent_at",
    "provider_reference",
)


@pytest.fixture
def people(clock):
    """Everyone notify_many treats differently: no settings, English without e-mail for order.expired, no e-mail
    address, and one with an active and a switched-off webhook endpoint."""
    clock.freeze()
    plain = UserFactory(email="plain@example.com")
    english = UserFactory(email="english@example.com")
    NotificationPreference.objects.create(user=english, language="en", email_off=["order.expired"])
    silent = UserFactory(email="")
    hooked = UserFactory(email="hooked@example.com")
    for active in (True, False):
        WebhookEndpoint.objects.create(
            owner=hooked,
            url="https://hooks.example.com/icp",
            secret_encrypted="x",
            active=active,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
    return [plain, english, silent, hooked]


def _context(user) -> dict:
    return {"order_number": f"ICP{user.pk}", "subject_name": user.full_name, "link": f"/filing/{user.pk}/"}


def _by_query(users, *, event="order.expired"):
    return notify_query(
        event=event,
        source=User.objects.filter(pk__in=[u.pk for u in users]),
        recipient=F("pk"),
        idempotency_key=Concat(Value("test:"), Cast("pk", CharField())),
        context={
            "order_number": Concat(Value("ICP"), Cast("pk", CharField())),
            "subject_name": F("full_name"),
            "link": Concat(Value("/filing/"), Cast("pk", CharField()), Value("/")),
        },
    )


def _by_notices(users, *, event="order.expired"):
    return notify_many(
        Notice(event=event, context=_context(u), idempotency_key=f"test:{u.pk}", recipient=u) for u in users
    )


def _rows():
    return sorted(OutboxMessage.objects.values_list(*FIELDS), key=lambda row: (row[0], row[1], row[2]))


def test_a_query_stores_the_rows_notify_many_stores_for_the_same_notices(people):
    with transaction.atomic():
        ids = _by_notices(people)
    expected = _rows()
    # plain: e-mail and in-app; english (e-mail off) and silent (no address): in-app; hooked: both and its webhook
    assert len(ids) == len(expected) == 7
    OutboxMessage.objects.all().delete()

    with transaction.atomic():
        ids = _by_query(people)
    assert len(ids) == 7
    assert _rows() == expected


def test_the_rows_come_in_the_order_of_the_notices_each_with_its_channels_then_its_webhooks(people):
    with transaction.atomic():
        ids = _by_query(people)
    rows = list(OutboxMessage.objects.filter(pk__in=ids).order_by("pk").values_list("recipient_id", "channel"))
    assert rows == [
        (people[0].pk, Channel.EMAIL),
        (people[0].pk, Channel.IN_APP),
        (people[1].pk, Channel.IN_APP),
        (people[2].pk, Channel.IN_APP),
        (people[3].pk, Channel.EMAIL),
        (people[3].pk, Channel.IN_APP),
        (people[3].pk, Channel.WEBHOOK),
    ]
    english = OutboxMessage.objects.get(recipient=people[1])
    assert (english.language, english.address) == ("en", "")
    webhook = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
    assert webhook.address == str(WebhookEndpoint.objects.get(active=True).pk)
    assert webhook.idempotency_key == f"test:{people[3].pk}:w{webhook.address}"


def test_a_second_run_and_a_run_of_the_per_notice_path_store_nothing_new(people):
    with transaction.atomic():
        first = _by_query(people)
    with transaction.atomic():
        assert _by_query(people) == []
        assert OutboxMessage.objects.count() == len(first)
        _by_notices(people)  # the same keys, through notify_many
    assert OutboxMessage.objects.count() == len(first)


def test_a_mandatory_event_ignores_the_email_preference(people):
    NotificationPreference.objects.filter(user=people[1]).update(email_off=["legal.notice"])
    with transaction.atomic():
        notify_query(
            event="legal.notice",
            source=User.objects.filter(pk=people[1].pk),
            recipient=F("pk"),
            idempotency_key=Value("terms-2026"),
            context={"title": Value("Terms"), "text": Value("New terms."), "link": Value("")},
        )
    rows = OutboxMessage.objects.filter(recipient=people[1])
    assert sorted(rows.values_list("channel", "address")) == [
        (Channel.EMAIL, "english@example.com"),
        (Channel.IN_APP, ""),
    ]


def test_events_with_texts_are_refused(people):
    with pytest.raises(ValueError), transaction.atomic():
        _by_query(people, event="order.rejected")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_call_outside_a_transaction_is_refused():
    user = UserFactory()
    with pytest.raises(TransactionRequired):
        _by_query([user])
    assert not OutboxMessage.objects.exists()


def test_the_stored_rows_are_delivered_after_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        ids = _by_query(people[:2])
        assert not InboxMessage.objects.exists()
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert [m.to for m in mail.outbox] == [["plain@example.com"]]
    titles = dict(InboxMessage.objects.values_list("user_id", "title"))
    assert set(titles) == {people[0].pk, people[1].pk}


def test_delivery_is_enqueued_in_tasks_of_bounded_size(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "DELIVERY_TASK_SIZE", 3)
    monkeypatch.setattr("notifications.tasks.deliver_messages.apply_async", lambda args, **kw: sent.append(args[0]))
    services.enqueue_delivery(list(range(8)))
    assert sent == [[0, 1, 2], [3, 4, 5], [6, 7]]
