"""Checks of a subject and its principals, shared by the wizard's pre-check, the reviewer's page and the API.

Every check is a plain function returning ``list[core.findings.Finding]`` (empty: it passes). The aggregates take
plain mappings of the field names of ``subjects.fields`` (``record_data`` turns a model instance into one).
Rules, codes and decisions: docs/validation.md.
"""

from .addresses import check_addresses, check_mailing_address_region, check_same_province, check_street_number
from .certificates import (
    check_business_licence_number,
    check_certificate_number,
    check_certificate_type_for_nature,
    check_document_pattern,
    check_personal_certificate_type,
    check_registration_number,
    check_resident_id,
    check_uscc,
    normalise_certificate_number,
)
from .contacts import (
    check_distinct_principals,
    check_email,
    check_emergency_phone,
    check_mobile,
    check_mobiles_on_other_subjects,
    check_office_phone,
)
from .people import validate_person, validate_principals
from .records import record_data
from .subject import validate_subject

__all__ = [
    "check_addresses",
    "check_business_licence_number",
    "check_certificate_number",
    "check_certificate_type_for_nature",
    "check_distinct_principals",
    "check_document_pattern",
    "check_email",
    "check_emergency_phone",
    "check_mailing_address_region",
    "check_mobile",
    "check_mobiles_on_other_subjects",
    "check_office_phone",
    "check_personal_certificate_type",
    "check_registration_number",
    "check_resident_id",
    "check_same_province",
    "check_street_number",
    "check_uscc",
    "normalise_certificate_number",
    "record_data",
    "validate_person",
    "validate_principals",
    "validate_subject",
]
