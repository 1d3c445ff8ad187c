import ipaddress
import secrets
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock

from .constants import MAINLAND_CLOUD_REGIONS, Billing, ServiceNumberStatus
from .models import CloudInstance, ServiceNumber
from .selectors import instance_ineligibility


@dataclass
class ServiceNumberError(Exception):
    """A refused service-number action: ``code`` for machines, ``message`` for people."""

    code: str
    message: str

    def __str__(self):
        return str(self.message)


def _simulated_public_ip(region: str) -> str:
    # Addresses from the documentation ranges (RFC 5737), so the simulation never names a real server.
    network = ipaddress.ip_network("203.0.113.0/24" if region in MAINLAND_CLOUD_REGIONS else "198.51.100.0/24")
    return str(network[secrets.randbelow(250) + 2])


@transaction.atomic
def instance_buy(
    *, owner, name: str, region: str, billing: str, months: int | None, public_bandwidth_mbps: int
) -> CloudInstance:
    """ "Buy" a simulated cloud instance. A subscription runs ``months`` from today; pay-as-you-go has no end."""
    subscription_end = None
    if billing == Billing.SUBSCRIPTION:
        subscription_end = clock.today() + relativedelta(months=months or 1)
    return CloudInstance.objects.create(
        owner=owner,
        name=name,
        region=region,
        billing=billing,
        subscription_end=subscription_end,
        public_bandwidth_mbps=public_bandwidth_mbps,
        public_ip=_simulated_public_ip(region) if public_bandwidth_mbps > 0 else None,
    )


@transaction.atomic
def instance_renew(*, instance_id: int, actor, months: int) -> CloudInstance:
    """Extend a subscription by ``months`` from its end (or from today, if it already ended)."""
    instance = CloudInstance.objects.select_for_update().get(pk=instance_id, owner=actor)
    if instance.billing != Billing.SUBSCRIPTION:
        raise ServiceNumberError("not_subscription", _("Only subscription instances can be renewed."))
    start = max(instance.subscription_end or clock.today(), clock.today())
    instance.subscription_end = start + relativedelta(months=months)
    instance.save(update_fields=["subscription_end"])
    return instance


def service_number_apply(*, instance_id: int, actor) -> ServiceNumber:
    """Issue a service number for one of ``actor``'s instances, within the rules and the cap of five ever.

    The instance row is locked first, so two applications at once count one after the other: the sixth fails.
    """
    with transaction.atomic():
        instance = CloudInstance.objects.select_for_update().get(pk=instance_id, owner=actor)
        reasons = instance_ineligibility(instance, issued=instance.service_numbers.count())
        if not reasons:
            return ServiceNumber.objects.create(instance=instance)
    raise ServiceNumberError(reasons[0].code, reasons[0].message)


def service_number_verify(*, number: str, actor) -> ServiceNumber:
    """The wizard's step 2: the number must belong to the actor's account and be unused.

    Another account's number answers exactly as a number that does not exist.
    """
    normalised = (number or "").strip().upper().replace(" ", "")
    found = ServiceNumber.objects.select_related("instance").filter(number=normalised, instance__owner=actor).first()
    if found is None:
        raise ServiceNumberError("not_found", _("No such service number on this account. Check it and try again."))
    if found.status == ServiceNumberStatus.USED:
        raise ServiceNumberError("used", _("This service number has been used for a completed filing."))
    if found.status == ServiceNumberStatus.BOUND:
        raise ServiceNumberError("bound", _("This service number is already used by another order."))
    if found.status == ServiceNumberStatus.INVALID:
        raise ServiceNumberError("invalid", _("This service number is no longer valid."))
    return found


def service_number_bind(*, service_number_id: int) -> ServiceNumber:
    """Bind an unbound number to an order (called by the filings services inside their transaction)."""
    updated = ServiceNumber.objects.filter(pk=service_number_id, status=ServiceNumberStatus.UNBOUND).update(
        status=ServiceNumberStatus.BOUND, bound_at=clock.now()
    )
    if not updated:
        raise ServiceNumberError("not_unbound", _("This service number is already used by another order."))
    return ServiceNumber.objects.get(pk=service_number_id)


def service_numbers_release(*, service_number_ids) -> int:
    """Free bound numbers when their order ends withdrawn or expired. Set-based; returns how many were freed."""
    return ServiceNumber.objects.filter(pk__in=service_number_ids, status=ServiceNumberStatus.BOUND).update(
        status=ServiceNumberStatus.UNBOUND, bound_at=None
    )


def service_numbers_mark_used(*, service_number_ids) -> int:
    """The filing completed: the numbers are spent for good. Set-based."""
    return ServiceNumber.objects.filter(pk__in=service_number_ids, status=ServiceNumberStatus.BOUND).update(
        status=ServiceNumberStatus.USED, used_at=clock.now()
    )


RENEWAL_REMINDER_DAYS = (30, 7, 1)


def instance_renewal_reminders_send() -> int:
    """Remind owners whose instances carry a filing that the subscription ends soon (seed: renew in time).

    One query per lead time finds the instances due for it that have not been reminded for this subscription end;
    each due one gets its reminder row (the unique constraint makes a parallel run's duplicate a no-op) and only the
    rows this run created are mailed, after commit. Safe to run twice.
    """
    from django.core.mail import send_mail
    from django.db.models import Exists, OuterRef
    from django.template.loader import render_to_string

    from .models import InstanceReminder

    today = clock.today()
    created_count = 0
    for days in RENEWAL_REMINDER_DAYS:
        due = (
            CloudInstance.objects.filter(
                billing=Billing.SUBSCRIPTION,
                subscription_end__gt=today,
                subscription_end__lte=today + relativedelta(days=days),
            )
            .filter(Exists(ServiceNumber.objects.filter(instance=OuterRef("pk"), status=ServiceNumberStatus.USED)))
            .exclude(
                Exists(
                    InstanceReminder.objects.filter(
                        instance=OuterRef("pk"), subscription_end=OuterRef("subscription_end"), days_before__lte=days
                    )
                )
            )
            .select_related("owner")
        )
        for instance in due:
            with transaction.atomic():
                _reminder, created = InstanceReminder.objects.get_or_create(
                    instance=instance,
                    subscription_end=instance.subscription_end,
                    days_before=days,
                    defaults={"sent_at": clock.now()},
                )
                if not created:
                    continue
                created_count += 1
                context = {"instance": instance, "days": (instance.subscription_end - today).days}

                def _mail(context=context, email=instance.owner.email):
                    send_mail(
                        subject=render_to_string("websites/email/renewal_subject.txt", context).strip(),
                        message=render_to_string("websites/email/renewal_body.txt", context),
                        from_email=None,
                        recipient_list=[email],
                    )

                transaction.on_commit(_mail, robust=True)
    return created_count
