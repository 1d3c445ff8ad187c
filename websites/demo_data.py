"""Demo cloud instances for the demo applicant: one that qualifies (with two service numbers ready) and one that
shows why an instance cannot have service numbers."""

from django.contrib.auth import get_user_model

from . import services
from .constants import Billing, CloudRegion
from .models import CloudInstance

DEMO_APPLICANT = "applicant@example.com"


def load() -> list[str]:
    owner = get_user_model().objects.filter(email=DEMO_APPLICANT).first()
    if owner is None or CloudInstance.objects.filter(owner=owner).exists():
        return []
    ready = services.instance_buy(
        owner=owner,
        name="web-beijing-1",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    numbers = [services.service_number_apply(instance_id=ready.pk, actor=owner).number for _ in range(2)]
    services.instance_buy(
        owner=owner,
        name="web-hongkong",
        region=CloudRegion.HONG_KONG,
        billing=Billing.PAY_AS_YOU_GO,
        months=None,
        public_bandwidth_mbps=5,
    )
    return [f"  Demo service numbers for {DEMO_APPLICANT}: {', '.join(numbers)}"]
