from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """The three levels of GB/T 2260 the portal uses (townships are below what a filing asks for)."""

    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("City")
    COUNTY = "county", _("District or county")


class PhotoMethod(models.TextChoices):
    """How the principal's verification photo is taken (RULES.md, photo verification)."""

    BACKDROP = "backdrop", _("Official backdrop")
    BACKDROP_OR_PROVIDER_APP = "backdrop_or_app", _("Official backdrop or the provider's app")
    SHANGHAI_APP = "shanghai_app", _("Shanghai Communications Administration app")


class PrincipalRule(models.TextChoices):
    """Who may be the subject's principal (负责人) of an organisation (RULES.md, validation)."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Must be the legal representative")
    AUTHORISATION_LETTER = "authorisation_letter", _("Someone else with an authorisation letter")
    FREE = "free", _("Anyone")


# The first day the filing regime (信息产业部令第33号) applied; province rules start here, nothing is filed before.
FILING_REGIME_START = date(2005, 3, 20)
# The day SMS verification became required in every province (RULES.md).
SMS_NATIONWIDE_FROM = date(2020, 8, 17)
