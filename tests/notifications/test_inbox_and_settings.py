"""The in-app inbox (each person reads only their own), the unread count in the header, notification settings,
and the order texts on the demo phone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import reverse

from filings import services
from filings.constants import OrderStatus as S
from filings.services.transitions import Remark
from notifications import delivery
from notifications.context_processors import inbox
from notifications.models import InboxMessage, NotificationPreference, OutboxMessage
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CONTEXT = {"order_number": "B77", "subject_name": "示例", "link": "/filing/orders/B77/"}


def _message_for(user, key="k", event="order.submitted"):
    with transaction.atomic():
        ids = notify(recipient=user, event=event, context=CONTEXT, idempotency_key=key, channels=["in_app"])
    delivery.outbox_deliver(ids=ids)
    return InboxMessage.objects.get(outbox_id=ids[0])


def test_the_inbox_lists_only_the_signed_in_persons_messages(client):
    me, other = UserFactory(), UserFactory()
    mine = _message_for(me, "a")
    theirs = _message_for(other, "b")
    InboxMessage.objects.filter(pk=theirs.pk).update(title="someone else's secret")
    client.force_login(me)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert mine.title in page
    assert "someone else&#x27;s secret" not in page and "someone else's secret" not in page


def test_another_persons_message_cannot_be_marked_read(client):
    me, other = UserFactory(), UserFactory()
    theirs = _message_for(other)
    client.force_login(me)
    response = client.post(reverse("notifications:inbox_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_needs_a_signed_in_person(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_header_shows_the_unread_count_and_reading_lowers_it(client):
    me = UserFactory()
    first = _message_for(me, "a")
    _message_for(me, "b")
    _message_for(UserFactory(), "c")
    client.force_login(me)
    page = client.get(reverse("home")).content.decode()
    assert 'class="badge badge-info inbox-count"' in page
    assert ">2</span>" in page

    response = client.post(reverse("notifications:inbox_read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/filing/orders/B77/"
    assert ">1</span>" in client.get(reverse("home")).content.decode()

    client.post(reverse("notifications:inbox_read_all"))
    assert "inbox-count" not in client.get(reverse("home")).content.decode()
    assert InboxMessage.objects.filter(user=me, read_at__isnull=True).count() == 0


def test_the_unread_count_costs_one_query_then_none_until_it_changes_and_none_for_visitors(
    django_assert_num_queries,
):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert inbox(request) == {}
    request.user = UserFactory()
    _message_for(request.user)
    with django_assert_num_queries(1):
        assert int(str(inbox(request)["unread_count"])) == 1
    with django_assert_num_queries(0):  # every page shows it: kept in the cache
        assert int(str(inbox(request)["unread_count"])) == 1


def test_a_delivered_message_shows_in_the_header_count_at_once_though_the_count_is_cached(client):
    me = UserFactory()
    _message_for(me, "a")
    client.force_login(me)
    assert ">1</span>" in client.get(reverse("home")).content.decode()
    _message_for(me, "b")
    assert ">2</span>" in client.get(reverse("home")).content.decode()


def test_settings_switch_e_mail_off_for_one_event_and_keep_mandatory_ones(client):
    me = UserFactory()
    client.force_login(me)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="order.rejected"' in page
    assert 'value="legal.notice"' not in page  # always sent: not a choice
    assert 'value="staff.new_work"' not in page  # staff only

    optional = ["order.submitted", "order.approved"]
    response = client.post(reverse("notifications:preferences"), {"language": "en", "email_on": optional})
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=me)
    assert saved.language == "en"
    assert "order.rejected" in saved.email_off
    assert "order.submitted" not in saved.email_off

    with transaction.atomic():
        notify(recipient=me, mobile="13800138000", event="order.rejected", context={}, idempotency_key="r")
        notify(recipient=me, mobile="13800138000", event="account.sms_code", context={"code": "1"}, idempotency_key="c")
    assert sorted(OutboxMessage.objects.values_list("event", "channel")) == [
        ("account.sms_code", "sms"),
        ("order.rejected", "in_app"),
        ("order.rejected", "sms"),
    ]


def test_the_demo_phone_shows_the_texts_an_order_sent(client, make_order, reviewer, django_capture_on_commit_callbacks):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=[Remark("", "名称不符")])
    assert len(mail.outbox) == 1
    page = client.get(reverse("core:demo_phone"), {"number": "13800138000"}).content.decode()
    assert order.number in page
    assert "106575000130" in page  # China Mobile's sender number


@override_settings(DEMO_MODE=False)
def test_the_demo_phone_is_not_there_outside_demo_mode(client):
    response = client.get(reverse("core:demo_phone"), {"number": "13800138000"})
    assert response.status_code == 404


_PRODUCTION_DEMO_PHONE = """
import django
django.setup()
from django.test import Client
from django.conf import settings
response = Client().get("/demo/phone/", {"number": "13800138000"}, secure=True)
print(settings.DEMO_MODE, response.status_code)
"""


def test_production_settings_have_no_demo_phone():
    env = {k: v for k, v in os.environ.items() if k not in {"DEMO_MODE", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="icpfiling.settings.production",
        SECRET_KEY="x" * 60,
        MIIT_CALLBACK_SECRET="y" * 40,
        ALLOWED_HOSTS="testserver",
    )
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_DEMO_PHONE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False 404"
