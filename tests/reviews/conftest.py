"""Orders in the back office's queues, made the way they get there: submitted by the applicant (so the due time and
the history are the services' own), claimed through the reviews services, photos uploaded as factory images."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.testing import force_login_with_second_factor
from filings import services as filings
from filings.constants import MaterialKind
from filings.constants import OrderStatus as S
from filings.materials import material_upload
from filings.models import FilingOrder
from reviews import services
from reviews.models import RejectionReason
from reviews.reasons import ChosenReason, reason_options
from tests.factories import UserFactory
from tests.filings.conftest import applicant, make_order, precheck_passes, reviewer, valid_uscc  # noqa: F401
from tests.filings.hostile import generators as samples
from tests.filings.hostile.storage import use_private_storage

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    """A moment in Asia/Shanghai: at(2024, 9, 30, 10)."""
    return datetime(*args, tzinfo=SHANGHAI)


def sign_in(client, user):
    force_login_with_second_factor(client, user)
    return client


@pytest.fixture
def other_reviewer(db):
    return UserFactory(reviewer=True, full_name="王审核")


@pytest.fixture
def supervisor(db):
    return UserFactory(supervisor=True, full_name="赵主管")


@pytest.fixture
def storage(settings, tmp_path):
    return use_private_storage(settings, tmp_path / "private")


@pytest.fixture
def queued(make_order, precheck_passes):  # noqa: F811 (fixtures imported above)
    """``queued(**make_order kwargs)``: an order the applicant submitted, waiting for initial review."""

    def make(**kwargs):
        order = make_order(**kwargs)
        return filings.order_submit(order_id=order.pk, actor=order.applicant)

    return make


@pytest.fixture
def claimed(queued, reviewer):  # noqa: F811
    """``claimed(by=reviewer)``: an order in initial review, held by ``by``."""

    def make(by=None, **kwargs):
        order = queued(**kwargs)
        return services.review_claim(order_id=order.pk, reviewer=by or reviewer)

    return make


@pytest.fixture
def photo_waiting(make_order, storage):  # noqa: F811
    """``photo_waiting()``: an order whose applicant uploaded a (factory-made) verification photo and submitted it:
    in photo review, nobody holding it. The applicant's upload side arrives with the administration issue."""

    def make(**kwargs):
        order = make_order(status=S.PENDING_PHOTO, **kwargs)
        principal = order.people.first()
        material_upload(
            order_id=order.pk,
            actor=order.applicant,
            kind=MaterialKind.VERIFICATION_PHOTO,
            uploaded_file=SimpleUploadedFile("photo.jpg", samples.jpeg((640, 480)), content_type="image/jpeg"),
            person_id=principal.pk,
        )
        return filings.order_photos_submit(order_id=order.pk, actor=order.applicant)

    return make


def reason(code: str) -> RejectionReason:
    return RejectionReason.objects.get(code=code)


def choose(order, *codes_and_paths, stage="initial_review") -> list[ChosenReason]:
    """Pick catalogue reasons for ``order``: ``choose(order, ("subject_name", "subject.name"))``, or a bare code for
    its only place on the order."""
    options = reason_options(FilingOrder.objects.get(pk=order.pk), stage=stage)
    chosen = []
    for item in codes_and_paths:
        code, path = item if isinstance(item, tuple) else (item, None)
        matches = [o for o in options if o.reason.code == code and (path is None or o.path == path)]
        assert matches, f"no option {code} at {path}: {[(o.reason.code, o.path) for o in options]}"
        chosen.append(ChosenReason(matches[0].reason.pk, matches[0].path))
    return chosen


def refreshed(order) -> FilingOrder:
    return FilingOrder.objects.get(pk=order.pk)


def zh(message: str, **params) -> str:
    """``message`` as the pages show it (Chinese by default; English until the catalogue has it), with ``params``."""
    from django.utils import translation

    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % params if params else text
