"""Forwarding to the administration (提交管局), within one working day of the photo's approval.

The order goes through ``filings.gateway`` (never a ``miit`` model); the administration answers whether SMS
verification comes first, and ``order_forward`` moves the order to ``sms_verification`` or ``miit_review``
accordingly. The submission key (order number and how often it was forwarded before) makes a retried request return
the first receipt, so a forwarding that failed after the administration received it can simply be done again.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from filings import services as filings
from filings.constants import PASSWORD_TYPES
from filings.constants import OrderStatus as S
from filings.errors import OrderError
from filings.gateway import GatewayError, get_gateway
from filings.models import FilingOrder, OrderEvent
from filings.records import PERSON_FIELDS, WEBSITE_FIELDS
from filings.services.drafts import order_icp_password

from ..constants import DecisionOutcome, DecisionStage
from ..permissions import check_reviewer
from .common import locked_order, record_decision, require_state


def _person(person) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, **{name: getattr(person, name) for name in PERSON_FIELDS}}


def submission_payload(order: FilingOrder) -> dict:
    """Everything the administration reviews, as JSON: the subject, its principal, each website with its principal,
    domains and service number, the filed records the order works on, and the ICP password where it checks one."""
    subject = getattr(order, "subject_application", None)
    websites = order.websites.select_related("principal", "service_number", "existing_website").prefetch_related(
        "domains"
    )
    payload = {
        "order_number": order.number,
        "order_type": order.order_type,
        "province_code": order.province_id,
        "filed_subject_icp_number": (order.subject.icp_number or "") if order.subject_id else "",
        "target_website_icp_number": (order.target_website.icp_number or "") if order.target_website_id else "",
        "subject": None,
        "websites": [],
    }
    if subject is not None:
        payload["subject"] = {
            "province_code": subject.province_id,
            "city_code": subject.city_id,
            "district_code": subject.district_id,
            "nature": subject.nature,
            "certificate_type": subject.certificate_type,
            "certificate_number": subject.certificate_number,
            "name": subject.name,
            "certificate_address": subject.certificate_address,
            "mailing_address": subject.mailing_address,
            "investor": subject.investor,
            "remarks": subject.remarks,
            "principal": _person(subject.principal),
        }
    for website in websites:
        existing = website.existing_website
        payload["websites"].append(
            {
                "id": website.pk,
                **{name: getattr(website, name) for name in WEBSITE_FIELDS},
                "existing_icp_number": (existing.icp_number or "") if existing else "",
                "service_number": website.service_number.number if website.service_number_id else "",
                "domains": [{"name": d.name, "ascii_name": d.ascii_name} for d in website.domains.all()],
                "principal": _person(website.principal),
            }
        )
    if order.order_type in PASSWORD_TYPES:
        payload["icp_password"] = order_icp_password(order) or ""
    return payload


def review_forward(*, order_id: int, actor) -> FilingOrder:
    """提交管局. Any reviewer may forward an order that waits for it (no claim: it is one action)."""
    check_reviewer(actor)
    with transaction.atomic():
        order = locked_order(order_id)
        require_state(order, S.PENDING_MIIT_SUBMISSION)
        forwarded_before = OrderEvent.objects.filter(order=order, action="forward_to_administration").count()
        try:
            receipt = get_gateway().submit_order(
                submission_key=f"{order.number}-{forwarded_before + 1}",
                order_number=order.number,
                order_type=order.order_type,
                province_code=order.province_id,
                payload=submission_payload(order),
            )
        except GatewayError:
            raise OrderError(
                "administration_unreachable",
                _("The administration could not be reached. Nothing was forwarded; try again in a few minutes."),
                503,
            ) from None
        order = filings.order_forward(order_id=order.pk, actor=actor, sms_required=receipt.sms_required)
        record_decision(
            order.pk, reviewer=actor, stage=DecisionStage.FORWARDING, outcome=DecisionOutcome.FORWARDED, now=clock.now()
        )
    return order
