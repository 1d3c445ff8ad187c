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
    """证件类型: of subjects (主办单位证件类型) and of people (负责人证件类型)."""

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


PERSONAL_CERTIFICATE_TYPES = (
    CertificateType.RESIDENT_ID,
    CertificateType.HK_MACAO_PERMIT,
    CertificateType.TAIWAN_PERMIT,
    CertificateType.PASSPORT,
    CertificateType.FOREIGN_PERMANENT_RESIDENCE,
)

# RULES.md, "Subject natures and their certificates".
NATURE_CERTIFICATE_TYPES: dict[str, tuple[str, ...]] = {
    SubjectNature.ENTERPRISE: (CertificateType.BUSINESS_LICENCE,),
    SubjectNature.INDIVIDUAL: PERSONAL_CERTIFICATE_TYPES,
    SubjectNature.GOVERNMENT: (CertificateType.USCC_CERTIFICATE,),
    SubjectNature.PUBLIC_INSTITUTION: (CertificateType.PUBLIC_INSTITUTION_CERTIFICATE,),
    SubjectNature.SOCIAL_GROUP: (CertificateType.SOCIAL_GROUP_CERTIFICATE,),
    SubjectNature.PRIVATE_NON_ENTERPRISE: (CertificateType.PRIVATE_NON_ENTERPRISE_CERTIFICATE,),
    SubjectNature.FOUNDATION: (CertificateType.FOUNDATION_CERTIFICATE,),
    SubjectNature.LAW_FIRM: (CertificateType.LAW_FIRM_LICENCE,),
}

# Organisation certificates carry the unified social credit code (a business licence may still show the older
# 15-digit registration number).
USCC_CERTIFICATE_TYPES = tuple(
    types[0] for nature, types in NATURE_CERTIFICATE_TYPES.items() if nature != SubjectNature.INDIVIDUAL
)


class RecordStatus(models.TextChoices):
    """The state of a filed record (subject, website, domain)."""

    ACTIVE = "active", _("Filed")
    CANCELLED = "cancelled", _("Cancelled")
    ACCESS_REMOVED = "access_removed", _("Access removed")
