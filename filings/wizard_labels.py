"""Turning the pre-check's dotted field paths into words and links for people (the check page, the reviewer's page)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import FilingOrder, PersonApplication, SubjectApplication, WebsiteApplication


@dataclass(frozen=True)
class Place:
    section: str
    label: str
    url: str


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def place_of(order: FilingOrder, path: str, *, people: dict, websites: list) -> Place:
    parts = path.split(".")
    number = order.number
    if parts[0] == "subject":
        field = parts[1] if len(parts) > 1 else ""
        return Place(
            str(_("Subject information")),
            _label(SubjectApplication, field) if field else "",
            reverse("filings:wizard_subject", args=[number]) + (f"#id_{field}" if field else ""),
        )
    if parts[0] == "people" and len(parts) > 1:
        person = people.get(int(parts[1])) if parts[1].isdigit() else None
        field = parts[2] if len(parts) > 2 else ""
        who = person.name if person and person.name else str(_("Principal"))
        return Place(
            str(_("Principal: %(name)s") % {"name": who}),
            _label(PersonApplication, field) if field else "",
            reverse("filings:wizard_person", args=[number, int(parts[1])]) + (f"#id_{field}" if field else ""),
        )
    if parts[0] == "websites" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        website = websites[index] if index < len(websites) else None
        field = parts[2] if len(parts) > 2 else ""
        section = str(_("Website %(n)d") % {"n": index + 1})
        if website is not None and website.name:
            section += f" ({website.name})"
        url = reverse("filings:wizard_website", args=[number, index])
        if field == "service_number":
            return Place(section, str(_("Service number")), reverse("filings:wizard_service_numbers", args=[number]))
        if field == "domains":
            return Place(section, str(_("Domain")), url + "#id_domain")
        anchor = f"#id_{field}" if field else ""
        return Place(section, _label(WebsiteApplication, field) if field else "", url + anchor)
    if parts[0] == "materials":
        return Place(str(_("Filing materials")), "", reverse("filings:wizard_materials", args=[number]))
    if parts[0] == "icp_password":
        return Place(str(_("ICP filing password")), "", reverse("filings:wizard_password", args=[number]))
    if parts[0] == "websites":
        return Place(str(_("Website information")), "", reverse("filings:wizard", args=[number]))
    return Place(str(_("The whole order")), "", reverse("filings:wizard", args=[number]))
