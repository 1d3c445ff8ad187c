"""The cap of five service numbers per instance holds under concurrent applications (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from tests.factories import UserFactory
from websites import services
from websites.constants import Billing, CloudRegion
from websites.models import ServiceNumber

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_applications_for_the_sixth_number_give_exactly_one_and_never_six():
    owner = UserFactory()
    instance = services.instance_buy(
        owner=owner,
        name="web",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    for _ in range(4):
        services.service_number_apply(instance_id=instance.pk, actor=owner)

    barrier = threading.Barrier(2)
    outcomes = []

    def apply():
        try:
            barrier.wait()
            services.service_number_apply(instance_id=instance.pk, actor=owner)
            outcomes.append("issued")
        except services.ServiceNumberError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["cap_reached", "issued"]
    assert ServiceNumber.objects.filter(instance=instance).count() == 5


def test_many_concurrent_applications_never_pass_the_cap():
    owner = UserFactory()
    instance = services.instance_buy(
        owner=owner,
        name="web",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    barrier = threading.Barrier(8)
    issued = []

    def apply():
        try:
            barrier.wait()
            issued.append(services.service_number_apply(instance_id=instance.pk, actor=owner).number)
        except services.ServiceNumberError:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(issued) == 5
    assert ServiceNumber.objects.filter(instance=instance).count() == 5
