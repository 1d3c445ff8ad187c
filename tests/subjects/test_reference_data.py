"""subjects.reference_data.load(): the certificate patterns, idempotent, cheap, never undoing an administrator."""

import re

import pytest

from subjects import reference_data
from subjects.constants import PERSONAL_CERTIFICATE_TYPES, CertificateType
from subjects.models import CertificatePattern

pytestmark = pytest.mark.django_db


def test_every_personal_document_without_a_checksum_has_a_pattern():
    expected = set(PERSONAL_CERTIFICATE_TYPES) - {CertificateType.RESIDENT_ID}
    assert set(CertificatePattern.objects.values_list("certificate_type", flat=True)) == expected


@pytest.mark.parametrize("row", reference_data.CERTIFICATE_PATTERNS, ids=lambda row: row["certificate_type"])
def test_each_shipped_example_matches_its_own_pattern(row):
    assert re.fullmatch(row["pattern"], row["example"])


def test_loading_again_adds_nothing_and_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert reference_data.load() == "0 certificate patterns added"


def test_loading_keeps_an_administrators_edit_and_restores_a_missing_row():
    CertificatePattern.objects.filter(certificate_type=CertificateType.PASSPORT).update(pattern=r"E\d{8}")
    CertificatePattern.objects.filter(certificate_type=CertificateType.TAIWAN_PERMIT).delete()

    assert reference_data.load() == "1 certificate patterns added"

    assert CertificatePattern.objects.get(certificate_type=CertificateType.PASSPORT).pattern == r"E\d{8}"
    assert CertificatePattern.objects.filter(certificate_type=CertificateType.TAIWAN_PERMIT).exists()
