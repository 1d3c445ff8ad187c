"""The administration's own pages: the provincial SMS verification page and its resend page, the ICP password
retrieval (找回备案密码) and the public query (公共查询) — anonymous, checked by a slider, rate-limited."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from core.models import PhoneMessage
from filings.constants import OrderStatus as S
from miit.models import RegistrySubject
from miit.puzzle import SESSION_KEY, puzzle_new, puzzle_solved
from tests.factories import UserFactory
from tests.filings import conftest as filing_fixtures
from tests.miit import registry
from tests.miit import simulator_support as support
from tests.miit.simulator_support import ID_SUFFIX, SUBJECT_MOBILE, codes_sent, latest_code, refreshed

# Fixtures shared with other test modules.
make_order = filing_fixtures.make_order
administration, ready = support.administration, support.ready

pytestmark = pytest.mark.django_db


def slider(client, form: str) -> int:
    """The gap the page just drew (kept in the visitor's session)."""
    return client.session[f"{SESSION_KEY}:{form}"]


def verify_page(client, province="110000", **data):
    url = reverse("miit:sms_verify", args=[province])
    page = client.get(url)
    assert page.status_code == 200
    fields = {"mobile": SUBJECT_MOBILE, "id_suffix": ID_SUFFIX, "slider": slider(client, "sms_verify"), **data}
    return client.post(url, fields)


# --- SMS verification --------------------


def test_the_verification_page_verifies_and_the_review_starts(
    client, ready, administration, django_capture_on_commit_callbacks
):
    order = ready()
    administration.forward(order)
    with django_capture_on_commit_callbacks(execute=True):
        response = verify_page(client, code=latest_code())
    assert response.status_code == 200
    assert order.number in response.content.decode()
    assert refreshed(order).status == S.MIIT_REVIEW


def test_the_page_is_the_provinces_and_works_without_javascript(client):
    page = client.get(reverse("miit:sms_verify", args=["330000"]))
    html = page.content.decode()
    assert "浙江省" in html
    assert re.search(r'<input type="range" name="slider"[^>]*min="0"[^>]*max="10"', html)
    assert "<script" not in html.split("<main", 1)[1]
    assert client.get(reverse("miit:sms_verify", args=["110100"])).status_code == 404  # a city, not a province
    assert client.get(reverse("miit:sms_provinces")).status_code == 200


def test_a_wrong_slider_checks_nothing(client, ready, administration):
    order = ready()
    administration.forward(order)
    url = reverse("miit:sms_verify", args=["110000"])
    client.get(url)
    wrong = (slider(client, "sms_verify") % 10) + 1
    response = client.post(
        url, {"mobile": SUBJECT_MOBILE, "code": latest_code(), "id_suffix": "000000", "slider": wrong}
    )
    assert response.status_code == 200
    assert "slider" in response.context["form"].errors
    assert refreshed(order).status == S.SMS_VERIFICATION
    from miit.models import SmsVerification

    assert SmsVerification.objects.get().wrong_id_attempts == 0


def test_a_slider_answer_is_used_once():
    request = SimpleNamespace(session={})
    target = puzzle_new(request, "sms_verify")
    assert 2 <= target <= 10
    assert puzzle_solved(request, "sms_verify", str(target))
    assert not puzzle_solved(request, "sms_verify", str(target))
    puzzle_new(request, "sms_verify")
    assert not puzzle_solved(request, "sms_verify", "not a number")


def test_a_wrong_code_shows_no_record_and_a_wrong_id_counts(client, ready, administration):
    order = ready()
    administration.forward(order)
    wrong_code = "000000" if latest_code() != "000000" else "000001"
    response = verify_page(client, code=wrong_code)
    assert response.context["form"].non_field_errors()
    response = verify_page(client, code=latest_code(), id_suffix="000000")
    assert response.context["form"].errors["id_suffix"]
    assert refreshed(order).status == S.SMS_VERIFICATION


def test_the_resend_page_sends_a_new_code(client, ready, administration, clock):
    clock.freeze()
    administration.forward(ready())
    clock.advance(timedelta(minutes=2))
    url = reverse("miit:sms_resend", args=["110000"])
    client.get(url)
    response = client.post(url, {"mobile": SUBJECT_MOBILE, "slider": slider(client, "sms_resend")})
    assert response.status_code == 302
    assert len(codes_sent()) == 2


def test_the_verification_page_is_rate_limited_per_address(client, ready, administration):
    administration.forward(ready())
    for _ in range(20):
        assert verify_page(client, code="999999").status_code == 200
    assert verify_page(client, code="999999").status_code == 429


def test_the_order_page_links_to_the_provincial_verification_page(client, make_order):
    order = make_order(status=S.SMS_VERIFICATION)
    client.force_login(order.applicant)
    html = client.get(reverse("filings:order_detail", args=[order.number])).content.decode()
    assert f'href="{reverse("miit:sms_verify", args=["110000"])}"' in html


# --- 找回备案密码 --------------------


@pytest.fixture
def filed(db):
    subject = registry.registry_subject(password="Old-Pass-2024", websites=(("pw-site.cn", False),))
    RegistrySubject.objects.filter(pk=subject.pk).update(principal_mobile="13912345678")
    return RegistrySubject.objects.get(pk=subject.pk)


def retrieve(client, subject, mobile):
    url = reverse("miit:password_retrieve")
    client.get(url)
    return client.post(
        url,
        {
            "certificate_type": subject.certificate_type,
            "certificate_number": subject.certificate_number.lower(),
            "mobile": mobile,
            "slider": slider(client, "password"),
        },
    )


def test_the_principal_gets_a_new_password_by_sms(client, filed):
    response = retrieve(client, filed, "139 1234 5678")
    assert response.status_code == 200 and response.context["sent"]
    text = PhoneMessage.objects.get(source="miit", to_number="13912345678")
    password = re.search(r"(?<![A-Za-z0-9])[A-Za-z0-9]{10}(?![A-Za-z0-9])", text.body.split(filed.icp_number, 1)[1])
    filed.refresh_from_db()
    assert filed.check_password(password.group(0))
    assert not filed.check_password("Old-Pass-2024")


def test_another_mobile_learns_nothing_and_gets_nothing(client, filed):
    response = retrieve(client, filed, "13800138000")
    assert response.context["sent"]  # the same answer as a match
    assert not PhoneMessage.objects.exists()
    filed.refresh_from_db()
    assert filed.check_password("Old-Pass-2024")


def test_password_retrieval_is_rate_limited(client, filed):
    for _ in range(3):
        assert retrieve(client, filed, "13800138000").status_code == 200
    assert retrieve(client, filed, "13800138000").status_code == 429  # three a day per certificate


# --- 公共查询 --------------------


@pytest.fixture
def public_record(db):
    subject = registry.registry_subject(name="北京公开查询科技有限公司", websites=(("query-me.cn", False),))
    registry.registry_website(subject, "second-site.cn", ours=True, name="第二个网站")
    return subject


def query(client, kind, q):
    return client.get(reverse("miit:public_query"), {"kind": kind, "q": q})


@pytest.mark.parametrize(
    ("kind", "q", "count"),
    [
        ("domain", "query-me.cn", 1),
        ("domain", "https://www.QUERY-ME.cn/index.html", 1),
        ("subject", "北京公开查询科技有限公司", 2),
        ("icp_number", "{subject}", 2),
        ("icp_number", "{subject}-2", 1),
        ("domain", "nobody.cn", 0),
        ("subject", "北京公开查询", 0),  # the full name, not a part of it
    ],
)
def test_the_public_query_finds_filings_by_domain_number_or_name(client, public_record, kind, q, count):
    response = query(client, kind, q.format(subject=public_record.icp_number))
    assert response.status_code == 200
    rows = response.context["results"]
    assert sum(len(entry["websites"]) for entry in rows) == count
    html = response.content.decode()
    if count:
        assert "北京公开查询科技有限公司" in html and public_record.icp_number in html
    else:
        assert 'id="query-nothing"' in html


def test_the_public_query_shows_what_the_registry_files(client, public_record):
    html = query(client, "icp_number", f"{public_record.icp_number}-1").content.decode()
    for text in ("北京公开查询科技有限公司", "企业", f"{public_record.icp_number}-1", "测试网站", "query-me.cn"):
        assert text in html


def test_cancelled_filings_are_not_found(client, public_record):
    public_record.websites.update(status="cancelled")
    RegistrySubject.objects.filter(pk=public_record.pk).update(status="cancelled")
    assert query(client, "domain", "query-me.cn").context["results"] == []
    assert query(client, "subject", "北京公开查询科技有限公司").context["results"] == []


def test_the_public_query_is_rate_limited_per_address(client, public_record):
    for _ in range(30):
        assert query(client, "domain", "query-me.cn").status_code == 200
    assert query(client, "domain", "query-me.cn").status_code == 429
    other = client.get(reverse("miit:public_query"), {"kind": "domain", "q": "x.cn"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_public_query_is_in_the_navigation_for_visitors_and_applicants(client):
    url = reverse("miit:public_query")
    assert f'href="{url}"' in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert f'href="{url}"' in client.get("/").content.decode()
