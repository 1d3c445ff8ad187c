from datetime import timedelta

import pytest
from stdnum.cn import uscc

from core import clock
from filings import services
from filings.constants import OrderStatus, OrderType
from filings.models import FilingOrder, PersonApplication, SubjectApplication, WebsiteApplication
from regions.models import Region
from tests.factories import UserFactory
from websites import services as website_services
from websites.constants import Billing, CloudRegion


def valid_uscc(body: str = "91110108MA01ABCD1") -> str:
    """A unified social credit code with the correct check digit for the 17-character ``body``."""
    return body + uscc.calc_check_digit(body)


_counter = {"n": 0}


def _next_certificate() -> str:
    _counter["n"] += 1
    return valid_uscc(f"91110108{_counter['n']:07d}AB")


@pytest.fixture
def applicant(db):
    return UserFactory()


@pytest.fixture
def reviewer(db):
    return UserFactory(reviewer=True)


@pytest.fixture
def make_order(db):
    """``make_order(status=…, applicant=…, order_type=…)``: a first-filing draft with one website bound to a fresh
    service number, then put straight into ``status`` (as a factory trait would) for tests of what happens next."""

    def make(*, status=OrderStatus.DRAFT, applicant=None, order_type=OrderType.FIRST_FILING, assignee=None):
        applicant = applicant or UserFactory()
        order = services.order_create_draft(
            applicant=applicant,
            order_type=order_type,
            province=Region.objects.get(code="110000"),
            nature="enterprise",
            certificate_type="business_licence",
            certificate_number=_next_certificate(),
            domain=("example.com", "example.com"),
        )
        instance = website_services.instance_buy(
            owner=applicant,
            name="web",
            region=CloudRegion.BEIJING,
            billing=Billing.SUBSCRIPTION,
            months=12,
            public_bandwidth_mbps=5,
        )
        number = website_services.service_number_apply(instance_id=instance.pk, actor=applicant)
        website_services.service_number_bind(service_number_id=number.pk)
        principal = PersonApplication.objects.create(
            order=order,
            name="张伟",
            certificate_type="resident_id",
            certificate_number="11010519491231002X",
            mobile="13800138000",
            office_phone="086-010-62345678",
            email="zhang.wei@example.com",
        )
        SubjectApplication.objects.filter(order=order).update(
            name="北京示例科技有限公司",
            certificate_address="北京市海淀区中关村大街1号",
            mailing_address="中关村大街1号",
            investor="张伟",
            principal=principal,
            city=Region.objects.get(code="110100"),
            district=Region.objects.get(code="110108"),
        )
        WebsiteApplication.objects.filter(order=order).update(
            service_number=number,
            principal=principal,
            name="示例科技官网",
            homepage_url="https://www.example.com/",
            service_content=["organisation_portal"],
            languages=["zh_hans"],
        )
        if status != OrderStatus.DRAFT:
            values = {"status": status}
            if assignee is not None:
                values["assignee"] = assignee
            FilingOrder.objects.filter(pk=order.pk).update(**values)
        return FilingOrder.objects.get(pk=order.pk)

    return make


@pytest.fixture
def precheck_passes(monkeypatch):
    """Isolate the state rules from the content rules: the pre-check finds nothing."""
    monkeypatch.setattr("filings.precheck.order_precheck", lambda order: [])


@pytest.fixture
def frozen_clock(clock):
    clock.freeze()
    yield clock


def days(n):
    return timedelta(days=n)


__all__ = ["clock", "days", "valid_uscc"]
