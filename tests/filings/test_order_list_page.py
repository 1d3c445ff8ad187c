"""The applicant's order list (我的订单): each row's number links to the order page and shows its filing type, subject,
province, website count, status and creation time; only the applicant's own orders; 20 a page, newest first."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.models import FilingOrder, SubjectApplication

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td class=\"mono\">.*?</tr>", html, flags=re.S)


def test_a_row_shows_what_the_order_is_and_links_to_its_page(client, applicant, make_order):
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW, order_type=OrderType.ADD_WEBSITE)
    SubjectApplication.objects.filter(order=order).update(name="北京示例科技有限公司")
    client.force_login(applicant)
    html = client.get(reverse("filings:order_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    (row,) = _rows(html)
    assert f'<a href="{reverse("filings:order_detail", args=[order.number])}">{order.number}</a>' in row
    with translation.override("zh-hans"):
        type_label, status_label = order.get_order_type_display(), order.get_status_display()
    assert f"<td>{type_label}</td>" in row and type_label == "新增网站"
    assert "北京示例科技有限公司" in row and "北京市" in row
    assert f"<td>{order.websites.count()}</td>" in row
    assert f'data-status="{S.PENDING_INITIAL_REVIEW}">{status_label}</span>' in row
    assert timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M") in row


def test_a_draft_without_its_subject_yet_shows_a_dash_and_another_applicants_order_is_not_listed(
    client, applicant, make_order
):
    mine = make_order(applicant=applicant)
    SubjectApplication.objects.filter(order=mine).delete()
    theirs = make_order()
    client.force_login(applicant)
    html = client.get(reverse("filings:order_list")).content.decode()
    (row,) = _rows(html)
    assert mine.number in row and "—" in row
    assert theirs.number not in html


def test_the_list_pages_by_20_newest_first(client, applicant, make_order):
    orders = [make_order(applicant=applicant, status=S.WITHDRAWN) for _ in range(21)]
    FilingOrder.objects.filter(pk=orders[0].pk).update(created_at=timezone.now() - timezone.timedelta(days=1))
    client.force_login(applicant)
    first = client.get(reverse("filings:order_list")).content.decode()
    second = client.get(reverse("filings:order_list"), {"page": 2}).content.decode()
    assert len(_rows(first)) == 20 and len(_rows(second)) == 1
    assert orders[0].number in second and orders[0].number not in first
