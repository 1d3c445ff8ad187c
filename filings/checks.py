"""What the pre-check looks at, in one place: the application rows run through the shared validators, plus the
order-level rules (service numbers, ICP password, materials). Extended by the wizard work."""

from django.utils.translation import gettext_lazy as _

from core.findings import Finding, error

from .constants import PASSWORD_TYPES, WEBSITE_TYPES
from .models import FilingOrder


def order_findings(order: FilingOrder) -> list[Finding]:
    findings: list[Finding] = []
    websites = list(order.websites.all())
    if order.order_type in WEBSITE_TYPES:
        if not websites:
            findings.append(error("websites", "no_website", _("Add at least one website.")))
        for index, website in enumerate(websites):
            if website.service_number_id is None:
                findings.append(
                    error(
                        f"websites.{index}.service_number",
                        "service_number_missing",
                        _("Each website needs its own verified service number."),
                    )
                )
    if order.order_type in PASSWORD_TYPES and not order.icp_password_encrypted:
        findings.append(error("icp_password", "icp_password_missing", _("Enter the ICP filing password.")))
    return findings
