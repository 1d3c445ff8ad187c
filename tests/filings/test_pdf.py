"""下载核验单: the authenticity verification form, pre-filled, in Chinese, for the applicant and staff only.
The text is read back out of the PDF with pypdf."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.testing import force_login_with_second_factor
from filings.models import DomainApplication, PersonApplication, SubjectApplication, WebsiteApplication
from filings.pdf import authenticity_statement_pdf
from tests.factories import UserFactory


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_url(order):
    return reverse("filings:authenticity_statement", args=[order.number])


@pytest.fixture
def order(make_order):
    return make_order()


def test_the_form_carries_the_orders_data_in_chinese(order):
    text = pdf_text(authenticity_statement_pdf(order))

    assert "网站备案信息真实性核验单" in text
    assert order.number in text
    assert "北京示例科技有限公司" in text  # subject name
    assert "北京市海淀区" in text  # region
    assert "中关村大街1号" in text  # mailing address
    assert "张伟" in text  # principal
    assert "11010519491231002X" in text
    assert "示例科技官网" in text  # website name
    assert "example.com" in text  # domain
    assert "https://www.example.com/" in text
    assert WebsiteApplication.objects.get(order=order).service_number.number in text
    assert "郑重承诺" in text  # the declaration to sign
    assert "签字" in text
    assert "年 月 日" in text or "年　　月　　日" in text


def test_every_website_and_every_domain_is_listed(order):
    second = WebsiteApplication.objects.create(
        order=order, position=1, name="示例商城", homepage_url="https://例子.中国/"
    )
    DomainApplication.objects.create(website=second, name="例子.中国", ascii_name="xn--fsqu00a.xn--fiqs8s")
    DomainApplication.objects.create(website=second, name="shop.example.cn", ascii_name="shop.example.cn")
    second.principal = PersonApplication.objects.create(
        order=order,
        name="李娜",
        certificate_type="resident_id",
        certificate_number="110101199003070012",
        mobile="13900139000",
        office_phone="086-010-62345679",
        email="li.na@example.com",
    )
    second.save()

    text = pdf_text(authenticity_statement_pdf(order))

    assert "网站信息（1）" in text
    assert "网站信息（2）" in text
    assert "示例商城" in text
    assert "例子.中国" in text
    assert "shop.example.cn" in text
    assert "李娜" in text


def test_the_pdf_is_a4_and_uses_the_built_in_chinese_font(order):
    reader = PdfReader(io.BytesIO(authenticity_statement_pdf(order)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = {str(font.get_object().get("/BaseFont")) for font in page["/Resources"]["/Font"].values()}
    assert any("STSong-Light" in name for name in fonts)
    assert reader.metadata.title.endswith(order.number)


def test_markup_in_the_data_is_printed_not_interpreted(order):
    SubjectApplication.objects.filter(order=order).update(name="<b>甲&乙</b> 公司")
    assert "<b>甲&乙</b> 公司" in pdf_text(authenticity_statement_pdf(order))


def test_an_unfinished_draft_still_prints(make_order):
    order = make_order()
    SubjectApplication.objects.filter(order=order).update(principal=None, name="")
    WebsiteApplication.objects.filter(order=order).update(principal=None, name="", service_number=None)
    text = pdf_text(authenticity_statement_pdf(order))
    assert order.number in text
    assert "未填写" in text


# --- who may download it ------------------------------------------------------------------------------------------


def test_applicant_downloads_their_form(client, order):
    client.force_login(order.applicant)
    response = client.get(pdf_url(order))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert order.number in response["Content-Disposition"]
    assert order.number in pdf_text(response.content)


def test_another_applicant_gets_404(client, order):
    client.force_login(UserFactory())
    assert client.get(pdf_url(order)).status_code == 404


def test_reviewer_may_download_it(client, order):
    force_login_with_second_factor(client, UserFactory(reviewer=True))
    response = client.get(pdf_url(order))
    assert response.status_code == 200
    assert "北京示例科技有限公司" in pdf_text(response.content)


def test_anonymous_visitor_is_sent_to_sign_in(client, order):
    response = client.get(pdf_url(order))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_order_is_404(client, order):
    client.force_login(order.applicant)
    assert client.get(reverse("filings:authenticity_statement", args=["ICP000000000000"])).status_code == 404
