from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from tests.factories import UserFactory
from websites import services
from websites.constants import Billing, CloudRegion, ServiceNumberStatus
from websites.models import CloudInstance, ServiceNumber
from websites.selectors import instance_ineligibility

pytestmark = pytest.mark.django_db


def _instance(owner, **overrides):
    values = {
        "name": "web-1",
        "region": CloudRegion.HANGZHOU,
        "billing": Billing.SUBSCRIPTION,
        "months": 12,
        "public_bandwidth_mbps": 5,
    }
    values.update(overrides)
    return services.instance_buy(owner=owner, **values)


def _codes(instance):
    return [reason.code for reason in instance_ineligibility(instance)]


def test_a_mainland_prepaid_instance_with_bandwidth_and_a_year_left_qualifies():
    assert _codes(_instance(UserFactory())) == []


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"region": CloudRegion.HONG_KONG}, "overseas_region"),
        ({"region": CloudRegion.SINGAPORE}, "overseas_region"),
        ({"billing": Billing.PAY_AS_YOU_GO, "months": None}, "pay_as_you_go"),
        ({"public_bandwidth_mbps": 0}, "no_public_bandwidth"),
        ({"months": 1}, "subscription_too_short"),
    ],
)
def test_each_ineligible_instance_says_why(overrides, code):
    assert _codes(_instance(UserFactory(), **overrides)) == [code]


def test_three_months_left_is_enough_and_a_day_less_is_not(clock):
    clock.freeze()
    owner = UserFactory()
    instance = _instance(owner, months=3)
    assert _codes(instance) == []
    instance.subscription_end -= timedelta(days=1)
    instance.save()
    assert _codes(instance) == ["subscription_too_short"]


def test_at_most_five_service_numbers_per_instance_ever_and_renewal_does_not_add_more():
    owner = UserFactory()
    instance = _instance(owner)
    numbers = [services.service_number_apply(instance_id=instance.pk, actor=owner) for _ in range(5)]
    assert len({n.number for n in numbers}) == 5
    with pytest.raises(services.ServiceNumberError) as exc:
        services.service_number_apply(instance_id=instance.pk, actor=owner)
    assert exc.value.code == "cap_reached"
    services.instance_renew(instance_id=instance.pk, actor=owner, months=24)
    # Freed or used numbers still count: the cap is on numbers ever issued.
    ServiceNumber.objects.filter(instance=instance).update(status=ServiceNumberStatus.INVALID)
    with pytest.raises(services.ServiceNumberError):
        services.service_number_apply(instance_id=instance.pk, actor=owner)
    assert ServiceNumber.objects.filter(instance=instance).count() == 5


def test_renewal_extends_from_the_end_of_the_subscription(clock):
    clock.freeze()
    owner = UserFactory()
    instance = _instance(owner, months=1)
    end = instance.subscription_end
    renewed = services.instance_renew(instance_id=instance.pk, actor=owner, months=12)
    assert renewed.subscription_end == end + relativedelta(months=12)
    assert _codes(renewed) == []


def test_service_numbers_are_opaque_and_unguessable():
    owner = UserFactory()
    instance = _instance(owner)
    a = services.service_number_apply(instance_id=instance.pk, actor=owner).number
    b = services.service_number_apply(instance_id=instance.pk, actor=owner).number
    assert len(a.replace("-", "")) == 20
    assert a != b
    assert str(instance.pk) not in a.split("-")[0] or len(set(a.replace("-", ""))) > 4
    # Consecutive numbers share no prefix a person could count up from.
    assert a[:5] != b[:5] or a[6:11] != b[6:11]


def test_a_fresh_number_verifies_for_its_owner():
    owner = UserFactory()
    number = services.service_number_apply(instance_id=_instance(owner).pk, actor=owner)
    assert services.service_number_verify(number=number.number.lower(), actor=owner) == number


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (ServiceNumberStatus.BOUND, "bound"),
        (ServiceNumberStatus.USED, "used"),
        (ServiceNumberStatus.INVALID, "invalid"),
    ],
)
def test_a_bound_used_or_invalid_number_does_not_verify(status, code):
    owner = UserFactory()
    number = services.service_number_apply(instance_id=_instance(owner).pk, actor=owner)
    ServiceNumber.objects.filter(pk=number.pk).update(status=status)
    with pytest.raises(services.ServiceNumberError) as exc:
        services.service_number_verify(number=number.number, actor=owner)
    assert exc.value.code == code


def test_another_accounts_number_does_not_verify_and_looks_like_no_number_at_all():
    owner, stranger = UserFactory(), UserFactory()
    number = services.service_number_apply(instance_id=_instance(owner).pk, actor=owner)
    with pytest.raises(services.ServiceNumberError) as foreign:
        services.service_number_verify(number=number.number, actor=stranger)
    with pytest.raises(services.ServiceNumberError) as missing:
        services.service_number_verify(number="AAAAA-BBBBB-CCCCC-DDDDD", actor=stranger)
    assert foreign.value.code == missing.value.code == "not_found"
    assert str(foreign.value.message) == str(missing.value.message)


def test_binding_twice_fails_and_release_and_use_follow_the_life_cycle():
    owner = UserFactory()
    number = services.service_number_apply(instance_id=_instance(owner).pk, actor=owner)
    services.service_number_bind(service_number_id=number.pk)
    with pytest.raises(services.ServiceNumberError):
        services.service_number_bind(service_number_id=number.pk)
    assert services.service_numbers_release(service_number_ids=[number.pk]) == 1
    number.refresh_from_db()
    assert number.status == ServiceNumberStatus.UNBOUND
    services.service_number_bind(service_number_id=number.pk)
    assert services.service_numbers_mark_used(service_number_ids=[number.pk]) == 1
    number.refresh_from_db()
    assert number.status == ServiceNumberStatus.USED
    # A used number is never freed and never verifies again.
    assert services.service_numbers_release(service_number_ids=[number.pk]) == 0
    with pytest.raises(services.ServiceNumberError):
        services.service_number_verify(number=number.number, actor=owner)


# --- pages ----------------------------------------------------------------------------------------------------------


def test_instance_page_shows_each_reason_where_the_apply_button_is_absent(client):
    owner = UserFactory()
    _instance(owner, name="ok-server")
    _instance(owner, name="hk-server", region=CloudRegion.HONG_KONG)
    _instance(owner, name="payg-server", billing=Billing.PAY_AS_YOU_GO, months=None)
    client.force_login(owner)
    page = client.get(reverse("websites:instance_list")).content.decode()
    assert page.count('data-code="overseas_region"') == 1
    assert page.count('data-code="pay_as_you_go"') == 1
    assert page.count("service-numbers/apply/") == 1


def test_applying_on_the_page_issues_a_number_and_lists_it(client):
    owner = UserFactory()
    instance = _instance(owner)
    client.force_login(owner)
    response = client.post(reverse("websites:service_number_apply", args=[instance.instance_id]))
    assert response.status_code == 302
    number = ServiceNumber.objects.get(instance=instance)
    assert number.number in client.get(reverse("websites:service_number_list")).content.decode()


def test_another_accounts_instance_and_number_answer_404(client):
    owner, stranger = UserFactory(), UserFactory()
    instance = _instance(owner)
    number = services.service_number_apply(instance_id=instance.pk, actor=owner)
    client.force_login(stranger)
    assert client.get(reverse("websites:service_number_detail", args=[number.number])).status_code == 404
    assert client.post(reverse("websites:service_number_apply", args=[instance.instance_id])).status_code == 404
    assert (
        client.post(reverse("websites:instance_renew", args=[instance.instance_id]), {"months": 12}).status_code == 404
    )
    assert number.number not in client.get(reverse("websites:service_number_list")).content.decode()
    page = client.post(reverse("websites:service_number_verify"), {"number": number.number}).content.decode()
    assert "error-message" in page
    assert ServiceNumber.objects.filter(instance=instance).count() == 1


def test_buying_an_instance_through_the_form(client):
    owner = UserFactory()
    client.force_login(owner)
    response = client.post(
        reverse("websites:instance_buy"),
        {
            "name": "blog",
            "region": CloudRegion.SHANGHAI,
            "billing": Billing.SUBSCRIPTION,
            "months": 12,
            "public_bandwidth_mbps": 3,
        },
    )
    assert response.status_code == 302
    instance = CloudInstance.objects.get(owner=owner)
    assert instance.public_ip and instance.subscription_end > date.today()


def test_buying_a_subscription_without_a_length_shows_the_field_error(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("websites:instance_buy"),
        {
            "name": "blog",
            "region": CloudRegion.SHANGHAI,
            "billing": Billing.SUBSCRIPTION,
            "months": "",
            "public_bandwidth_mbps": 3,
        },
    )
    assert response.status_code == 200
    assert 'id="id_months-error"' in response.content.decode()
    assert not CloudInstance.objects.exists()


@pytest.mark.parametrize("page", ["websites:instance_list", "websites:service_number_list"])
def test_instance_pages_cost_the_same_queries_for_one_or_ten_instances(client, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = UserFactory()
    client.force_login(owner)
    _instance(owner)
    client.get(reverse(page))  # the caches a running server has warm (the signed-in person's roles)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(page))
    for _ in range(9):
        services.service_number_apply(instance_id=_instance(owner).pk, actor=owner)
    with CaptureQueriesContext(connection) as ten:
        client.get(reverse(page))
    assert len(ten.captured_queries) == len(one.captured_queries) <= 6


# --- renewal reminders ----------------------------------------------------------------------------------------------


def test_owners_of_instances_carrying_a_filing_are_reminded_once_before_the_end(
    clock, mailoutbox, django_capture_on_commit_callbacks
):
    from django_celery_beat.models import PeriodicTask

    from websites.tasks import send_renewal_reminders

    assert PeriodicTask.objects.filter(task="websites.send_renewal_reminders", enabled=True).exists()
    clock.freeze()
    owner = UserFactory()
    carrying = _instance(owner, name="filed-server", months=1)
    idle = _instance(owner, name="idle-server", months=1)
    ServiceNumber.objects.create(instance=carrying, status=ServiceNumberStatus.USED)
    ServiceNumber.objects.create(instance=idle, status=ServiceNumberStatus.UNBOUND)
    clock.advance(timedelta(days=10))  # about 20 days left: inside the 30-day window
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders() == 1
        assert send_renewal_reminders() == 0
    assert len(mailoutbox) == 1
    assert "filed-server" in mailoutbox[0].subject
    clock.advance(timedelta(days=15))  # 5 days left: the 7-day reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders() == 1
    assert len(mailoutbox) == 2
