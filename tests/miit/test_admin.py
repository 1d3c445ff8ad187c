"""The registry in the admin: every model listed; an ICP password can be set (hashed), never read back."""

import pytest
from django.urls import reverse

from accounts.testing import force_login_with_second_factor
from miit.models import (
    DomainRegistration,
    LegacyRecord,
    NumberSequence,
    RegistryDomain,
    RegistrySubject,
    RegistryWebsite,
)
from tests.factories import UserFactory
from tests.miit import registry

pytestmark = pytest.mark.django_db

MODELS = [RegistrySubject, RegistryWebsite, RegistryDomain, DomainRegistration, LegacyRecord, NumberSequence]


@pytest.fixture
def admin_client(client):
    user = UserFactory(administrator=True, is_superuser=True)
    force_login_with_second_factor(client, user)
    return client


@pytest.fixture
def subject(db):
    subject = registry.registry_subject(password="Admin-Old-Pass-1", websites=(("admin-site.cn", False),))
    registry.registration("admin-site.cn", holder=subject)
    registry.legacy("admin-legacy.cn")
    return subject


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_registry_model_has_a_changelist(admin_client, subject, model):
    url = reverse(f"admin:miit_{model._meta.model_name}_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert model.objects.exists()


def test_the_subject_page_never_shows_the_password_hash(admin_client, subject):
    response = admin_client.get(reverse("admin:miit_registrysubject_change", args=[subject.pk]))
    assert response.status_code == 200
    assert subject.password_hash not in response.content.decode()


def test_number_sequences_cannot_be_edited(admin_client):
    sequence = NumberSequence.objects.first()
    response = admin_client.post(reverse("admin:miit_numbersequence_change", args=[sequence.pk]), {"last_value": 1})
    assert response.status_code == 403
    sequence.refresh_from_db()
    assert sequence.last_value != 1


def test_an_administrator_sets_a_new_icp_password(admin_client, subject):
    data = {
        "certificate_type": subject.certificate_type,
        "certificate_number": subject.certificate_number,
        "name": subject.name,
        "nature": subject.nature,
        "province": subject.province_id,
        "icp_number": subject.icp_number,
        "principal_name": subject.principal_name,
        "principal_certificate_type": "",
        "principal_certificate_number": "",
        "principal_mobile": "",
        "status": subject.status,
        "filed_on": subject.filed_on.isoformat(),
        "new_icp_password": "Admin-New-Pass-2",
        "websites-TOTAL_FORMS": "0",
        "websites-INITIAL_FORMS": "0",
        "websites-MIN_NUM_FORMS": "0",
        "websites-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:miit_registrysubject_change", args=[subject.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    subject.refresh_from_db()
    assert subject.check_password("Admin-New-Pass-2")
    assert not subject.check_password("Admin-Old-Pass-1")
