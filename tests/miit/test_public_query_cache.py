"""The public query page kept for anonymous visitors while the registry stays as it is (core.publicpages): the
registry's version moves with every write to its tables, whoever writes; each visitor gets their own CSRF
token in a kept page, and a kept answer still counts against the address's limit. PostgreSQL: the triggers."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import publicpages
from miit import selectors
from miit.models import RegistryDomain, RegistrySubject, RegistryWebsite
from tests.factories import UserFactory
from tests.miit import registry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def filed(db):
    return registry.registry_subject(name="北京缓存查询科技有限公司", websites=(("kept.cn", False),))


def _query(client, q="kept.cn", **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("miit:public_query"), {"kind": "domain", "q": q}, **extra)
    return response, len(queries)


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_page(client, filed):
    rendered, rendered_queries = _query(client)
    kept, kept_queries = _query(client)
    assert rendered.status_code == kept.status_code == 200
    assert kept_queries == 1 < rendered_queries  # the registry's version only
    assert kept.context is None and rendered.context is not None  # no template rendered the second time
    # The same page but for the token: each answer masks the visitor's secret anew.
    assert _token(kept) != _token(rendered)
    assert kept.content.decode().replace(_token(kept), "") == rendered.content.decode().replace(_token(rendered), "")
    assert "北京缓存查询科技有限公司" in kept.content.decode() and publicpages.TOKEN_SLOT not in kept.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        lambda subject: RegistryDomain.objects.filter(ascii_name="kept.cn").update(status="cancelled"),
        lambda subject: RegistryWebsite.objects.filter(subject=subject).update(status="cancelled"),
        lambda subject: RegistrySubject.objects.filter(pk=subject.pk).update(name="北京改名科技有限公司"),
        lambda subject: RegistryDomain.objects.filter(ascii_name="kept.cn").delete(),
    ],
    ids=["domain cancelled", "website cancelled", "subject renamed", "domain deleted"],
)
def test_any_write_to_the_registry_shows_on_the_next_query(client, filed, change):
    before = page_version_of_registry()
    assert "北京缓存查询科技有限公司" in _query(client)[0].content.decode()
    _query(client)  # kept
    change(filed)
    assert page_version_of_registry() > before
    assert "北京缓存查询科技有限公司" not in _query(client)[0].content.decode()


def test_a_new_filing_is_found_at_once_after_a_miss_was_kept(client, filed):
    assert 'id="query-nothing"' in _query(client, "new-site.cn")[0].content.decode()
    registry.registry_website(filed, "new-site.cn", ours=True, name="新网站")
    assert "新网站" in _query(client, "new-site.cn")[0].content.decode()


def test_a_visitor_posts_with_the_token_of_a_kept_page(filed):
    first = Client(enforce_csrf_checks=True)
    firsts, _ = _query(first)
    visitor = Client(enforce_csrf_checks=True)
    kept, queries = _query(visitor)
    assert queries == 1 and django_settings.CSRF_COOKIE_NAME in kept.cookies  # a new visitor gets their cookie
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(kept)}
    )
    assert switched.status_code == 302  # 403 if the token were the first visitor's or the slot
    # What the check would do to a page kept with the first visitor's token in it.
    refused = visitor.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(firsts)}
    )
    assert refused.status_code == 403


def test_a_kept_answer_still_counts_against_the_addresss_limit(client, filed):
    for _ in range(30):
        assert _query(client)[0].status_code == 200
    assert _query(client)[0].status_code == 429
    assert _query(client, REMOTE_ADDR="10.0.0.9")[0].status_code == 200


def test_the_page_in_each_language_and_for_a_signed_in_visitor_is_its_own(client, filed):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _ = _query(client)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese, _ = _query(client)
    assert "Public query of ICP filings" in english.content.decode()
    assert "Public query of ICP filings" not in chinese.content.decode()
    user = UserFactory()
    client.force_login(user)
    signed_in, _ = _query(client)
    assert user.get_short_name() in signed_in.content.decode() and signed_in.context is not None


def page_version_of_registry() -> int:
    return selectors.registry_version()


def test_a_statement_that_writes_no_row_leaves_the_version_as_it_is(filed):
    before = page_version_of_registry()
    assert RegistryDomain.objects.filter(ascii_name="nowhere.cn").update(status="cancelled") == 0
    assert page_version_of_registry() == before
