"""websites.reference_data.load(): service contents, suffixes, nature rules and reserved words from RULES.md;
idempotent, one query when loaded, never undoing an administrator's edits."""

import pytest

from subjects.constants import SubjectNature
from websites import reference_data
from websites.constants import WordKind
from websites.models import DomainSuffix, NatureDomainSuffix, ReservedWord, ServiceContent

pytestmark = pytest.mark.django_db


def test_the_twelve_service_contents_are_loaded_with_only_other_for_individuals():
    assert list(ServiceContent.objects.values_list("name", flat=True)) == [
        "综合门户",
        "单位门户网站",
        "网络图片",
        "网站建设",
        "博客/个人空间",
        "电子商务",
        "网络游戏",
        "搜索引擎",
        "即时通信",
        "网上邮局",
        "网络广告",
        "其他",
    ]
    assert list(ServiceContent.objects.filter(allowed_for_individuals=True).values_list("code", flat=True)) == ["other"]
    assert all(ServiceContent.objects.values_list("name_en", flat=True))


def test_the_suffixes_of_rules_md_are_loaded_approved_or_refused():
    approved = set(DomainSuffix.objects.filter(approved=True).values_list("suffix", flat=True))
    refused = set(DomainSuffix.objects.filter(approved=False).values_list("suffix", flat=True))
    assert set(reference_data.SEED_SUFFIXES) <= approved
    assert refused == {"hk", "tw", "asia", "jp", "co", "so", "me", "xyz"}
    assert DomainSuffix.objects.get(suffix="中国").ascii_suffix == "xn--fiqs8s"
    assert DomainSuffix.objects.get(suffix="我爱你").ascii_suffix == "xn--6qq986b3xl"


def test_the_nature_rules_are_loaded():
    assert set(NatureDomainSuffix.objects.values_list("nature", "suffix")) == {
        (SubjectNature.PUBLIC_INSTITUTION, "cn"),
        (SubjectNature.PUBLIC_INSTITUTION, "公益"),
        (SubjectNature.GOVERNMENT, "gov.cn"),
        (SubjectNature.GOVERNMENT, "政务"),
    }


def test_the_national_prefixes_of_rules_md_are_loaded():
    prefixes = set(ReservedWord.objects.filter(kind=WordKind.NATIONAL_PREFIX).values_list("word", flat=True))
    assert prefixes == {"中国", "中华", "中央", "国家", "全国", "人民"}
    interactive = set(ReservedWord.objects.filter(kind=WordKind.PERSONAL_INTERACTIVE).values_list("word", flat=True))
    assert {"博客", "论坛", "社区", "评论"} <= interactive


def test_loading_again_adds_nothing_and_costs_one_query(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        summary = reference_data.load()
    # One query for the word lists and suffixes; the beat schedule's get_or_create reads are apart.
    own = [q for q in captured.captured_queries if "django_celery_beat" not in q["sql"]]
    assert len(own) == 1
    assert summary == "0 service contents, 0 domain suffixes, 0 nature suffix rules, 0 reserved words added"


def test_loading_keeps_an_administrators_edits_and_adds_only_missing_rows():
    DomainSuffix.objects.filter(suffix="xyz").update(approved=True, note="管理员开放")
    ServiceContent.objects.filter(code="webmail").update(name="电子邮箱", is_active=False)
    ReservedWord.objects.filter(word="科技", kind=WordKind.PERSONAL_BUSINESS).delete()
    DomainSuffix.objects.filter(suffix="公司").delete()

    summary = reference_data.load()

    assert summary == "0 service contents, 1 domain suffixes, 0 nature suffix rules, 1 reserved words added"
    assert DomainSuffix.objects.get(suffix="xyz").approved is True
    assert ServiceContent.objects.get(code="webmail").name == "电子邮箱"
    assert DomainSuffix.objects.filter(suffix="公司", approved=True).exists()


def test_a_suffix_an_administrator_entered_in_another_form_is_not_added_twice():
    row = DomainSuffix.objects.get(suffix="中国")
    row.suffix = "中國（简）"  # the Unicode form edited, the ASCII form kept
    row.save()
    assert reference_data.load().startswith("0 service contents, 0 domain suffixes")
