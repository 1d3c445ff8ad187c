"""The demo registry: valid certificate numbers, idempotent loading, documented in docs/administration.md."""

from pathlib import Path

import pytest

from miit import demo_data
from miit.models import DomainRegistration, LegacyRecord, RegistryDomain, RegistrySubject, RegistryWebsite
from subjects.validation import check_certificate_number

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "administration.md"
MODELS = [RegistrySubject, RegistryWebsite, RegistryDomain, DomainRegistration, LegacyRecord]


def all_certificates():
    yield from ((s.certificate_type, s.certificate_number) for s in demo_data.SUBJECTS)
    yield from ((lg.certificate_type, lg.certificate_number) for lg in demo_data.LEGACY)
    yield demo_data.NEWCOMER[1:]


@pytest.mark.parametrize("certificate", list(all_certificates()), ids=lambda c: c[1])
def test_demo_certificate_numbers_pass_the_portal_checks(certificate):
    certificate_type, number = certificate
    errors = [f for f in check_certificate_number(certificate_type, number) if f.is_error]
    assert errors == []


def test_loading_twice_changes_nothing():
    demo_data.load()
    counts = [model.objects.count() for model in MODELS]
    demo_data.load()
    assert [model.objects.count() for model in MODELS] == counts
    assert all(counts)


def test_every_registry_domain_has_a_real_name_registration_held_by_its_subject():
    demo_data.load()
    for domain in RegistryDomain.objects.select_related("website__subject"):
        registration = DomainRegistration.objects.get(ascii_name=domain.ascii_name)
        assert registration.real_name_verified
        assert registration.holder_certificate_number == domain.website.subject.certificate_number


def test_the_docs_table_lists_every_scenario():
    text = DOCS.read_text(encoding="utf-8")
    for scenario in demo_data.SCENARIOS:
        row = next(
            (
                line
                for line in text.splitlines()
                if scenario.certificate_number in line and f"`{scenario.domain}`" in line
            ),
            None,
        )
        assert row is not None, f"{scenario} is not in docs/administration.md"
