from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core import clock

from .constants import (
    MAINLAND_CLOUD_REGIONS,
    MAX_SERVICE_NUMBERS_PER_INSTANCE,
    MIN_SUBSCRIPTION_MONTHS_LEFT,
    Billing,
    ServiceNumberStatus,
)
from .models import CloudInstance, ServiceNumber


@dataclass(frozen=True)
class Ineligibility:
    code: str
    message: str


def instances_of(user) -> QuerySet[CloudInstance]:
    """The applicant's instances, each with ``numbers_issued`` (ever) and ``numbers_available`` counted in SQL."""
    return CloudInstance.objects.filter(owner=user).annotate(
        numbers_issued=Count("service_numbers"),
        numbers_available=Count("service_numbers", filter=Q(service_numbers__status=ServiceNumberStatus.UNBOUND)),
    )


def instance_of(user, instance_id: str) -> CloudInstance:
    """One of the applicant's instances; another account's id is a 404."""
    return get_object_or_404(instances_of(user), instance_id=instance_id)


def service_numbers_of(user) -> QuerySet[ServiceNumber]:
    return ServiceNumber.objects.filter(instance__owner=user).select_related("instance")


def instance_ineligibility(instance: CloudInstance, *, issued: int | None = None, on: date | None = None):
    """Why ``instance`` cannot have another service number (empty: it can). RULES.md, "Service numbers".

    ``issued`` is the number of service numbers ever issued for it (pass the annotated count to save a query).
    """
    on = on or clock.today()
    if issued is None:
        issued = getattr(instance, "numbers_issued", None)
    if issued is None:
        issued = instance.service_numbers.count()
    reasons = []
    if instance.region not in MAINLAND_CLOUD_REGIONS:
        reasons.append(
            Ineligibility(
                "overseas_region",
                _("The instance is not in a mainland China region; websites on it do not need an ICP filing."),
            )
        )
    if instance.billing == Billing.PAY_AS_YOU_GO:
        reasons.append(
            Ineligibility(
                "pay_as_you_go",
                _("Pay-as-you-go instances cannot be used for filing: switch it to a subscription first."),
            )
        )
    if instance.public_bandwidth_mbps <= 0:
        reasons.append(
            Ineligibility("no_public_bandwidth", _("The instance has no public bandwidth: add a public IP first."))
        )
    if instance.billing == Billing.SUBSCRIPTION and (
        instance.subscription_end is None
        or instance.subscription_end < on + relativedelta(months=MIN_SUBSCRIPTION_MONTHS_LEFT)
    ):
        reasons.append(
            Ineligibility(
                "subscription_too_short",
                _("Less than three months of subscription are left: renew the instance first."),
            )
        )
    if issued >= MAX_SERVICE_NUMBERS_PER_INSTANCE:
        reasons.append(
            Ineligibility(
                "cap_reached",
                _("This instance has had its five service numbers; renewing does not add more. Use another instance."),
            )
        )
    return reasons
