"""The outbox in the admin: filters, search, and the retry of failed messages."""

import pytest
from django.contrib import messages
from django.db import transaction
from django.urls import reverse

from core.models import PhoneMessage
from notifications import delivery
from notifications.constants import Channel, OutboxStatus
from notifications.models import OutboxMessage
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:notifications_outboxmessage_changelist"


def _store(user, key="k"):
    with transaction.atomic():
        return notify(
            recipient=user,
            mobile="13800138000",
            event="order.forwarded",
            context={"order_number": "B9", "sms_required": True, "sms_window_hours": 24},
            idempotency_key=key,
        )


def test_the_outbox_list_filters_by_status_channel_and_event_and_searches_by_recipient(admin_client):
    zhang, li = UserFactory(email="zhang@example.com"), UserFactory(email="li@example.com")
    _store(zhang, "a")
    _store(li, "b")
    url = reverse(CHANGELIST)
    page = admin_client.get(url, {"status__exact": "pending", "channel__exact": "sms", "event": "order.forwarded"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 2
    found = admin_client.get(url, {"q": "zhang@"}).context["cl"].result_count
    assert found == 3  # zhang's e-mail, in-app message and the text about his order


def test_a_message_that_failed_after_its_retries_is_sent_by_the_admin_retry(
    admin_client, clock, sms_gateway, django_capture_on_commit_callbacks
):
    sms_gateway("tests.notifications.gateways.Broken")
    clock.freeze()
    _store(UserFactory())
    for _ in range(10):
        delivery.outbox_sweep()
        sms = OutboxMessage.objects.get(channel=Channel.SMS)
        if sms.status == OutboxStatus.FAILED:
            break
        clock.advance(sms.due_at - clock.now())
    assert (sms.status, sms.attempts) == (OutboxStatus.FAILED, 5)
    assert PhoneMessage.objects.count() == 0

    sms_gateway("notifications.sms.PhoneNetworkGateway")  # the gateway is back
    sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).values_list("pk", flat=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST), {"action": "retry", "_selected_action": [sms.pk, *sent]}, follow=True
        )
    [notice] = list(response.context["messages"])
    assert notice.level == messages.SUCCESS
    assert "1" in str(notice)
    sms.refresh_from_db()
    assert sms.status == OutboxStatus.SENT
    assert sms.attempts == 6
    assert PhoneMessage.objects.count() == 1


def test_a_retried_message_that_fails_again_is_failed_again_at_once(clock, sms_gateway):
    from notifications.services import outbox_retry

    sms_gateway("tests.notifications.gateways.Broken")
    ids = _store(UserFactory())
    OutboxMessage.objects.filter(pk__in=ids, channel=Channel.SMS).update(status=OutboxStatus.FAILED, attempts=5)
    with transaction.atomic():
        assert outbox_retry(ids=ids) == 1
    delivery.outbox_sweep()
    sms = OutboxMessage.objects.get(channel=Channel.SMS)
    assert (sms.status, sms.attempts) == (OutboxStatus.FAILED, 6)


def test_applicants_and_reviewers_cannot_see_the_outbox(client):
    from accounts.testing import force_login_with_second_factor

    force_login_with_second_factor(client, UserFactory(reviewer=True))
    assert client.get(reverse(CHANGELIST)).status_code in (302, 403)
