"""The administration's own vocabulary.

``miit`` imports only ``core`` and ``regions`` (DESIGN.md), so it keeps its own lists. The codes are the contract
of the registry API: the portal sends the same strings it stores (``subjects.constants``), the way two real systems
agree on an interface rather than share a library.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectNature(models.TextChoices):
    """主办单位性质."""

    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual")
    GOVERNMENT = "government", _("Government agency")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    SOCIAL_GROUP = "social_group", _("Social organisation")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Private non-enterprise unit")
    FOUNDATION = "foundation", _("Foundation")
    LAW_FIRM = "law_firm", _("Law firm")


class CertificateType(models.TextChoices):
    """证件类型 of subjects and of people."""

    BUSINESS_LICENCE = "business_licence", _("Business licence")
    RESIDENT_ID = "resident_id", _("Resident identity card")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    PASSPORT = "passport", _("Passport")
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence", _("Foreign permanent resident ID card")
    USCC_CERTIFICATE = "uscc_certificate", _("Unified social credit code certificate")
    PUBLIC_INSTITUTION_CERTIFICATE = "public_institution_certificate", _("Public institution legal person certificate")
    SOCIAL_GROUP_CERTIFICATE = (
        "social_group_certificate",
        _("Social organisation legal person registration certificate"),
    )
    PRIVATE_NON_ENTERPRISE_CERTIFICATE = (
        "private_non_enterprise_certificate",
        _("Private non-enterprise unit registration certificate"),
    )
    FOUNDATION_CERTIFICATE = "foundation_certificate", _("Foundation legal person registration certificate")
    LAW_FIRM_LICENCE = "law_firm_licence", _("Law firm practising licence")


PERSONAL_CERTIFICATE_TYPES = frozenset(
    {
        CertificateType.RESIDENT_ID,
        CertificateType.HK_MACAO_PERMIT,
        CertificateType.TAIWAN_PERMIT,
        CertificateType.PASSPORT,
        CertificateType.FOREIGN_PERMANENT_RESIDENCE,
    }
)


class RegistryStatus(models.TextChoices):
    """The state of a record in the national registry."""

    ACTIVE = "active", _("Filed")
    CANCELLED = "cancelled", _("Cancelled")
    ACCESS_REMOVED = "access_removed", _("Access removed")


class HolderProblem(models.TextChoices):
    """Why a domain's registration does not support its filing (RULES.md, "Domains in the registry")."""

    NOT_REGISTERED = "not_registered", _("No registration record")
    EXPIRED = "expired", _("Registration expired")
    NOT_REAL_NAME_VERIFIED = "not_real_name_verified", _("Not real-name verified")
    HOLDER_MISMATCH = "holder_mismatch", _("Held by someone else")


# HiChina (中国万网) filings made before June 2010 that never moved are claimed, not filed again (seed chapter 12).
LEGACY_CLAIM_CUTOFF = date(2010, 6, 1)
HICHINA_PROVIDER_NAME = "中国万网"

# The first subject number a province's sequence gives out (numbers below it belong to records filed earlier).
NUMBER_SEQUENCE_START = 24000000

DEFAULT_PROVIDER_NAME = "示例云计算有限公司"


def portal_provider_name() -> str:
    """The access provider (接入商) name of the portal this simulator serves, as the registry records it."""
    return str(getattr(settings, "ICP_PROVIDER_NAME", DEFAULT_PROVIDER_NAME))


# The administration's SMS verification rollout (RULES.md, SMS verification): pilots by province abbreviation, then
# every province. Seeded into ``SmsRule`` (its own table, editable in the admin) by ``miit/reference_data.py``.
SMS_PILOTS = {
    date(2017, 12, 18): "津甘藏宁琼新青",
    date(2018, 9, 10): "浙川闽陕渝桂滇",
    date(2018, 9, 24): "鲁豫皖湘晋黑蒙鄂",
}
SMS_NATIONWIDE_FROM = date(2020, 8, 17)
