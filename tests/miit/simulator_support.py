"""Helpers for the simulator's tests: an order forwarded to the administration, what the worker and beat would run,
and the codes read off the demo phone.

Tests run Celery eagerly; ``django_capture_on_commit_callbacks(execute=True)`` runs what a commit would start (the
submission's processing, the callback's delivery), and callbacks reach the portal's endpoint through the in-process
transport (Django's test client), signed like any other.
"""

import re
from datetime import timedelta

import pytest

from core.models import PhoneMessage
from filings.constants import OrderStatus as S
from filings.models import DomainApplication, FilingOrder
from miit.models import SimulatorSettings, Submission
from miit.simulator import callbacks, processing, sms
from reviews import services as reviews
from tests.factories import UserFactory
from tests.miit import registry

SUBJECT_NAME = "北京示例科技有限公司"  # make_order's subject
SUBJECT_MOBILE = "13800138000"  # make_order's principal, subject and website alike
ID_SUFFIX = "31002X"  # make_order's principal: 11010519491231002X
# Six digits standing alone: not the tail of an order number (ICP…) nor a province code in a URL (/110000/).
CODE = re.compile(r"(?<![0-9A-Za-z/])(\d{6})(?![0-9A-Za-z/])")


def codes_sent(mobile: str = SUBJECT_MOBILE) -> list[str]:
    """The administration's codes this mobile received, oldest first."""
    texts = PhoneMessage.objects.filter(to_number=mobile, source="miit").order_by("sent_at", "pk")
    found = []
    for text in texts:
        match = CODE.search(text.body)
        if match:
            found.append(match.group(1))
    return found


def latest_code(mobile: str = SUBJECT_MOBILE) -> str:
    codes = codes_sent(mobile)
    assert codes, f"no code sent to {mobile}"
    return codes[-1]


def refreshed(order) -> FilingOrder:
    return FilingOrder.objects.get(pk=order.pk)


def domain_held_by_subject(order, domain: str = "example.com"):
    """The domain registry's record of ``domain``, held by the order's subject (so the domain check passes)."""
    subject = order.subject_application
    return registry.registration(
        domain,
        holder_name=subject.name,
        holder_certificate_type=subject.certificate_type,
        holder_certificate_number=subject.certificate_number,
    )


class Administration:
    """What the worker and beat do, run on demand: ``forward`` (the reviewer's 提交管局, then the submission's
    processing), ``run`` (the beat sweeps: due submissions, SMS windows, callbacks)."""

    def __init__(self, capture):
        self.capture = capture
        self.reviewer = UserFactory(reviewer=True)

    def forward(self, order) -> Submission:
        with self.capture(execute=True):
            reviews.review_forward(order_id=order.pk, actor=self.reviewer)
        return Submission.objects.filter(order_reference=order.number).order_by("-received_at", "-pk").first()

    def run(self) -> None:
        with self.capture(execute=True):
            processing.submissions_process_due()
            sms.sms_windows_sweep()
            callbacks.callbacks_deliver()

    def verify(self, *, mobile=SUBJECT_MOBILE, code=None, suffix=ID_SUFFIX, province="110000"):
        with self.capture(execute=True):
            return sms.sms_verify(
                province_code=province, mobile=mobile, code=code or latest_code(mobile), id_number_suffix=suffix
            )

    def decide(self, order, clock) -> None:
        """Move the clock past the submission's decision and run the sweeps."""
        submission = Submission.objects.get(order_reference=order.number, status=Submission.Status.IN_REVIEW)
        clock.freeze(submission.decide_at + timedelta(seconds=1))
        self.run()


@pytest.fixture
def administration(db, django_capture_on_commit_callbacks):
    return Administration(django_capture_on_commit_callbacks)


@pytest.fixture
def settings_row(db):
    return SimulatorSettings.load()


@pytest.fixture
def ready(make_order):
    """An order waiting to be forwarded (``domain``: example.com unless given), its domain registered to its
    subject."""

    def make(*, domain="example.com", **kwargs):
        order = make_order(status=S.PENDING_MIIT_SUBMISSION, **kwargs)
        if domain != "example.com":
            DomainApplication.objects.filter(website__order=order).update(name=domain, ascii_name=domain)
            order.websites.update(homepage_url=f"https://www.{domain}/")
        domain_held_by_subject(order, domain)
        return order

    return make
