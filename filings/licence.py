"""ICP commercial licence (经营许可证), information only (RULES.md; seed chapter 9).

Some provinces set rules on the IP addresses named in an ICP licence application. The portal knows where its own
instances are — ``websites.constants.CLOUD_REGION_PROVINCE`` — so for a filed website it can say where the instances
that carry it do not meet its province's rule. No geolocation database is involved: an instance's province is its
cloud region's.

The rules are RULES.md's, kept here as the default; an administrator may override a province's rule by adding
``"licence_ip_rule"`` (one of ``IpRule``, or ``""`` for none) and ``"licence_ip_exempt_cities"`` (GB/T 2260 city
codes) to the ``extra`` of its ``regions.ProvinceRule`` row, which carries the effective date.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from regions.selectors import province_rule_for
from subjects.validation.text import interpolate
from websites.constants import CLOUD_REGION_PROVINCE, CloudRegion
from websites.models import CloudInstance, Website

from .constants import OrderStatus
from .models import OrderEvent, WebsiteApplication


class IpRule(models.TextChoices):
    IDENTICAL_IN_PROVINCE = (
        "identical_in_province",
        _("The IP addresses in the contract, of the website and in the filing must be the same and in the province."),
    )
    IN_PROVINCE = (
        "in_province",
        _("The IP addresses in the contract, of the website and in the filing must all be in the province."),
    )
    IDENTICAL = "identical", _("The IP addresses in the contract, of the website and in the filing must be the same.")
    CONTRACT_IS_REAL_IP = "contract_is_real_ip", _("The IP address in the contract must be the website's real IP.")


# RULES.md, "ICP commercial licence": province → (rule, cities the rule does not cover).
DEFAULT_RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "110000": (IpRule.IDENTICAL_IN_PROVINCE, ()),  # Beijing
    "440000": (IpRule.IN_PROVINCE, ("440300",)),  # Guangdong, except Shenzhen
    "210000": (IpRule.IDENTICAL, ()),  # Liaoning
    "310000": (IpRule.CONTRACT_IS_REAL_IP, ()),  # Shanghai
    "130000": (IpRule.CONTRACT_IS_REAL_IP, ()),  # Hebei
}


@dataclass(frozen=True)
class LicenceRule:
    province: Region
    rule: str
    exempt_cities: tuple[Region, ...] = ()

    @property
    def description(self) -> str:
        return IpRule(self.rule).label


def licence_rule_for(province_code: str) -> tuple[str, tuple[str, ...]]:
    """The IP rule of a province (today's, an administrator's override first) and the cities it does not cover."""
    rule = province_rule_for(province_code)
    extra = (rule.extra or {}) if rule is not None else {}
    default, exempt = DEFAULT_RULES.get(province_code, ("", ()))
    chosen = extra.get("licence_ip_rule", default)
    if chosen and chosen not in IpRule.values:
        chosen = default
    return chosen, tuple(extra.get("licence_ip_exempt_cities", exempt))


def licence_rules() -> list[LicenceRule]:
    """Every province with an IP rule, for the information page."""
    provinces = Region.objects.filter(level="province", is_mainland=True).order_by("code")
    found = []
    for province in provinces:
        rule, exempt = licence_rule_for(province.code)
        if rule:
            cities = tuple(Region.objects.filter(pk__in=exempt).order_by("code"))
            found.append(LicenceRule(province, rule, cities))
    return found


def website_instances(website: Website) -> list[CloudInstance]:
    """The instances carrying a filed website: the service numbers of the website entry that filed it last — an
    entry that changed it (``existing_website``), or the entry the approval numbered with its number."""
    numbered = []
    approvals = OrderEvent.objects.filter(
        order__subject_id=website.subject_id, to_status=OrderStatus.APPROVED
    ).values_list("details", flat=True)
    for details in approvals:
        for entry_id, number in ((details or {}).get("website_numbers") or {}).items():
            if number == website.icp_number and str(entry_id).isdigit():
                numbered.append(int(entry_id))
    entry = (
        WebsiteApplication.objects.filter(Q(existing_website=website) | Q(pk__in=numbered))
        .filter(order__status=OrderStatus.APPROVED, service_number__isnull=False)
        .select_related("service_number__instance")
        .order_by("-order__completed_at", "-id")
        .first()
    )
    return [entry.service_number.instance] if entry is not None else []


@dataclass(frozen=True)
class LicenceNote:
    """One thing to know about a website's IP addresses for an ICP licence. ``problem`` when the instances do not
    meet the rule; otherwise information."""

    message: str
    problem: bool = False
    instances: tuple = field(default=())


def _region_name(instance: CloudInstance) -> str:
    try:
        return str(CloudRegion(instance.region).label)
    except ValueError:
        return instance.region


def licence_notes(website: Website, *, instances: list[CloudInstance] | None = None) -> list[LicenceNote]:
    """What the province's IP rule means for this website's instances (RULES.md, ICP commercial licence)."""
    subject = website.subject
    rule, exempt = licence_rule_for(subject.province_id)
    if not rule or subject.city_id in exempt:
        return []
    instances = website_instances(website) if instances is None else instances
    province = subject.province
    if not instances:
        return [
            LicenceNote(
                interpolate(
                    _(
                        "%(province)s: %(rule)s We do not know which of your instances carries this website, so we "
                        "cannot check it."
                    ),
                    province=province.name,
                    rule=IpRule(rule).label,
                )
            )
        ]
    notes = []
    if rule in (IpRule.IDENTICAL_IN_PROVINCE, IpRule.IN_PROVINCE):
        outside = tuple(i for i in instances if CLOUD_REGION_PROVINCE.get(i.region) != province.code)
        for instance in outside:
            notes.append(
                LicenceNote(
                    interpolate(
                        _(
                            "Instance %(instance)s is in %(region)s, outside %(province)s: an ICP licence of "
                            "%(province)s needs IP addresses in %(province)s. Move the website to an instance in "
                            "%(province)s, then change the website's filing with the new IP and data centre in "
                            "its remarks."
                        ),
                        instance=instance.name,
                        region=_region_name(instance),
                        province=province.name,
                    ),
                    problem=True,
                    instances=(instance,),
                )
            )
    if rule in (IpRule.IDENTICAL_IN_PROVINCE, IpRule.IDENTICAL):
        addresses = {i.public_ip for i in instances if i.public_ip}
        if len(addresses) > 1:
            notes.append(
                LicenceNote(
                    interpolate(
                        _("%(province)s asks for one IP address; this website is on %(count)s: %(addresses)s."),
                        province=province.name,
                        count=len(addresses),
                        addresses=", ".join(sorted(addresses)),
                    ),
                    problem=True,
                    instances=tuple(instances),
                )
            )
    if not notes:
        addresses = ", ".join(i.public_ip or "—" for i in instances)
        notes.append(
            LicenceNote(
                interpolate(
                    _("%(province)s: %(rule)s Name %(addresses)s in the contract."),
                    province=province.name,
                    rule=IpRule(rule).label,
                    addresses=addresses,
                ),
                instances=tuple(instances),
            )
        )
    return notes
