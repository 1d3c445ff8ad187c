"""What the applicant sees of a review: each rejection reason beside the field it concerns, the review history
(审核历史) with every reason, and an order that goes back to the queue when resubmitted."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from filings import services as filings
from filings.constants import OrderStatus as S
from reviews import services
from reviews.constants import Queue
from reviews.reasons import ChosenReason

from .conftest import choose, reason, refreshed, sign_in

pytestmark = pytest.mark.django_db


class _Element(HTMLParser):
    """The text inside the element with ``id`` (nested elements included)."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source"}

    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.depth, self.parts, self.found = element_id, 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str:
    parser = _Element(element_id)
    parser.feed(html)
    assert parser.found, f"no element #{element_id}"
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def rejected_with_three_reasons(claimed, reviewer):
    order = claimed()
    chosen = choose(order, "subject_name", "principal_mobile", ("website_homepage", "websites.0.homepage_url"))
    chosen[2] = ChosenReason(chosen[2].reason_id, chosen[2].path, "首页不在备案域名下")
    services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=chosen, note="请按三处意见修改")
    return refreshed(order)


def test_each_of_three_reasons_shows_beside_its_field(client, rejected_with_three_reasons):
    order = rejected_with_three_reasons
    sign_in(client, order.applicant)
    subject_page = client.get(reverse("filings:wizard_subject", args=[order.number])).content.decode()
    website_page = client.get(reverse("filings:wizard_website", args=[order.number, 0])).content.decode()

    beside_name = text_of(subject_page, "group-id_subject-name")
    beside_mobile = text_of(subject_page, "group-id_principal-mobile")
    beside_homepage = text_of(website_page, "group-id_homepage_url")
    assert reason("subject_name").message in beside_name
    assert reason("principal_mobile").message in beside_mobile
    assert reason("website_homepage").message in beside_homepage
    assert "首页不在备案域名下" in beside_homepage
    # Each reason only there, not beside the other fields.
    assert reason("subject_name").message not in text_of(subject_page, "group-id_subject-investor")
    assert reason("principal_mobile").message not in beside_name
    assert reason("website_homepage").message not in text_of(website_page, "group-id_name")


def test_the_order_page_lists_what_to_fix(client, rejected_with_three_reasons):
    order = rejected_with_three_reasons
    sign_in(client, order.applicant)
    page = client.get(reverse("filings:order_detail", args=[order.number])).content.decode()
    for code in ("subject_name", "principal_mobile", "website_homepage"):
        assert reason(code).message in page


def test_the_review_history_shows_every_reason(client, rejected_with_three_reasons):
    order = rejected_with_three_reasons
    sign_in(client, order.applicant)
    page = client.get(reverse("filings:order_history", args=[order.number])).content.decode()
    for code in ("subject_name", "principal_mobile", "website_homepage"):
        assert reason(code).message in page
    assert "首页不在备案域名下" in page


def test_resubmitting_puts_the_order_back_in_the_queue_with_its_history_intact(
    client, rejected_with_three_reasons, reviewer
):
    order = rejected_with_three_reasons
    filings.order_resubmit(order_id=order.pk, actor=order.applicant)
    assert refreshed(order).status == S.PENDING_INITIAL_REVIEW
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL).pk == order.pk

    sign_in(client, order.applicant)
    history = client.get(reverse("filings:order_history", args=[order.number])).content.decode()
    assert reason("subject_name").message in history  # the old reasons stay in the history
    wizard = client.get(reverse("filings:order_detail", args=[order.number])).content.decode()
    assert reason("subject_name").message not in wizard  # but are no longer open
