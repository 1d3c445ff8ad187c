"""miit.selectors.public_query reads plain values: each result in full, the registry's order (a subject's number,
then the website's), only active websites and domains, and a fixed number of queries per kind of search; the page
shows the approval dates."""

from datetime import date

import pytest
from django.utils import translation

from core import clock
from miit import selectors
from miit.models import RegistryDomain, RegistrySubject, RegistryWebsite
from miit.services import registry_website_add
from tests.miit import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(db):
    first = registry.registry_subject(name="北京公开查询科技有限公司", websites=(("query-me.cn", False),))
    registry.registry_website(first, "second-site.cn", ours=True, name="第二个网站")
    registry_website_add(
        subject=first, name="多域名", access_provider="x", domains=["b-multi.cn", "a-multi.cn", "www.c-multi.cn"]
    )
    RegistryDomain.objects.filter(ascii_name="b-multi.cn").update(status="cancelled")
    person = registry.registry_subject(name="张三", nature="individual", websites=(("zhang.cn", True),))
    RegistrySubject.objects.filter(pk=person.pk).update(filed_on=None)
    RegistryWebsite.objects.filter(subject=person).update(filed_on=None)
    shell = registry.registry_subject(name="（北京）空壳有限公司", websites=(("gone.cn", False),))
    RegistryWebsite.objects.filter(subject=shell).update(status="cancelled")
    namesake = registry.registry_subject(name=first.name, websites=(("dup.cn", False),))
    return first, person, shell, namesake


TODAY = object()  # the day the registry filed it: the portal's clock, read when the test runs


def website(subject, n, name, domains, filed_on=TODAY):
    filed_on = clock.today() if filed_on is TODAY else filed_on
    return {"name": name, "icp_number": f"{subject.icp_number}-{n}", "domains": domains, "filed_on": filed_on}


def entry(subject, nature_label, websites, filed_on=TODAY):
    filed_on = clock.today() if filed_on is TODAY else filed_on
    return {
        "subject_name": subject.name,
        "nature": subject.nature,
        "nature_label": nature_label,
        "icp_number": subject.icp_number,
        "filed_on": filed_on,
        "websites": websites,
    }


def query(kind, q):
    with translation.override("zh-hans"):
        return selectors.public_query(kind=kind, q=q)


def test_a_domain_finds_its_website_with_its_active_domains(filed, django_assert_num_queries):
    first = filed[0]
    multi = entry(first, "企业", [website(first, 3, "多域名", ["a-multi.cn", "www.c-multi.cn"])])
    with django_assert_num_queries(2):  # the website, its domains
        assert query("domain", "https://www.A-MULTI.cn/x") == [multi]
    assert query("domain", "c-multi.cn") == []  # "www." is part of that name
    assert query("domain", "www.c-multi.cn") == [multi]
    assert query("domain", "b-multi.cn") == []  # cancelled
    assert query("domain", "gone.cn") == []  # its website is cancelled
    with django_assert_num_queries(1):
        assert query("domain", "nobody.cn") == []


def test_a_website_found_by_both_its_names_is_one_result_and_a_withdrawn_subject_none(filed):
    first = filed[0]
    registry_website_add(subject=first, name="两个名字", access_provider="x", domains=["both.cn", "www.both.cn"])
    assert query("domain", "www.both.cn") == [
        entry(first, "企业", [website(first, 4, "两个名字", ["both.cn", "www.both.cn"])])
    ]
    RegistrySubject.objects.filter(pk=first.pk).update(status="cancelled")
    assert query("domain", "www.both.cn") == []


def test_a_subject_without_dates_is_shown_without_them(filed):
    person = filed[1]
    expected = entry(person, "个人", [website(person, 1, "测试网站", ["zhang.cn"], filed_on=None)], filed_on=None)
    assert query("domain", "zhang.cn") == [expected]


def test_a_name_finds_every_subject_with_all_its_websites_in_number_order(filed, django_assert_num_queries):
    first, _person, _shell, namesake = filed
    with django_assert_num_queries(4):  # the name's check, the subjects, their websites, the domains
        found = query("subject", first.name)
    assert found == [
        entry(
            first,
            "企业",
            [
                website(first, 1, "测试网站", ["query-me.cn"]),
                website(first, 2, "第二个网站", ["second-site.cn"]),
                website(first, 3, "多域名", ["a-multi.cn", "www.c-multi.cn"]),
            ],
        ),
        entry(namesake, "企业", [website(namesake, 1, "测试网站", ["dup.cn"])]),
    ]


def test_a_number_finds_a_website_or_a_subject(filed, django_assert_num_queries):
    first, _person, shell, _namesake = filed
    with django_assert_num_queries(2):
        assert query("icp_number", f"{first.icp_number}-2") == [
            entry(first, "企业", [website(first, 2, "第二个网站", ["second-site.cn"])])
        ]
    assert [len(e["websites"]) for e in query("icp_number", f" {first.icp_number} ")] == [3]
    with django_assert_num_queries(3):  # no website by that number, the subject, its (no) websites
        assert query("icp_number", shell.icp_number) == [entry(shell, "企业", [])]
    assert query("subject", shell.name) == [entry(shell, "企业", [])]
    assert query("icp_number", "京ICP备99999999号") == []


def test_the_page_shows_approval_dates_and_none_for_no_date(client, filed):
    first, _person, shell, _namesake = filed
    RegistryWebsite.objects.filter(subject=first).update(filed_on=date(2024, 5, 6))
    RegistrySubject.objects.filter(pk=shell.pk).update(filed_on=date(2023, 1, 2))

    def cells(kind, q):
        html = client.get("/miit/query/", {"kind": kind, "q": q}).content.decode()
        return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]

    assert "<td>2024-05-06</td>" in cells("domain", "query-me.cn")
    assert "<td></td>" in cells("domain", "zhang.cn")  # filed_on unknown
    assert "<td>2023-01-02</td>" in cells("icp_number", shell.icp_number)  # a subject without websites
