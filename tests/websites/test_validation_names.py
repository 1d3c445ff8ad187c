"""Website names: characters, not the domain, national prefixes, personal-website words, banned words."""

import pytest
from django.utils import translation

from subjects.constants import SubjectNature
from tests.subjects.numbers import codes
from websites.constants import WordKind
from websites.models import ReservedWord
from websites.validation import check_website_name
from websites.validation.names import is_national_body, reserved_words

pytestmark = pytest.mark.django_db

ENTERPRISE = SubjectNature.ENTERPRISE
INDIVIDUAL = SubjectNature.INDIVIDUAL


def check(name, nature=ENTERPRISE, subject_name="杭州某某网络科技有限公司", domains=("example.com",)):
    return codes(check_website_name(name, subject_nature=nature, subject_name=subject_name, domains=domains))


@pytest.mark.parametrize(
    "name",
    [
        "某某科技官网",
        "张三的摄影作品集",
        "Kimi 的读书笔记",
        "3D打印技术资料",
        "阿依古丽·买买提的美食",
        "约翰·史密斯的旅行日记",
        "ｅ家园生活资讯",  # full-width letters folded
        "ئۇيغۇرچە تور بېكىتى",  # Uyghur script
    ],
)
def test_names_of_letters_digits_and_chinese_pass_for_an_enterprise(name):
    assert check(name) == []


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("某某科技-官网", "-"),
        ("某某科技官网!", "!"),
        ("某某科技（官网）", "（"),
        ("某某&科技", "&"),
        ("某某科技官网😀", "😀"),
        ("《某某》官网", "《"),
        ("某某科技，官网", "，"),
    ],
)
def test_symbols_are_refused_and_named(name, symbol):
    findings = check_website_name(name, subject_nature=ENTERPRISE, domains=["example.com"])
    assert codes(findings) == ["website_name.symbols"]
    assert symbol in findings[0].params["symbols"]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("12345678", "website_name.digits_only"),
        ("Example Site", "website_name.letters_only"),
        ("abc123", "website_name.ascii_only"),
    ],
)
def test_names_of_only_digits_or_only_latin_letters_are_refused(name, code):
    assert check(name) == [code]


@pytest.mark.parametrize(
    ("name", "domains"),
    [
        ("例子", ["例子.中国"]),
        ("例子中国", ["例子.中国"]),
        ("xn--fsqu00a", ["例子.中国"]),
        ("中文", ["中文.公司", "example.com"]),
    ],
)
def test_the_domain_itself_is_not_a_name(name, domains):
    assert "website_name.is_domain" in check(name, domains=domains)


def test_the_domain_without_its_suffix_is_not_a_name_either():
    assert check("example", domains=["www.example.com"]) == ["website_name.letters_only", "website_name.is_domain"]


def test_a_name_like_the_domain_but_saying_more_passes():
    assert check("例子的官网", domains=["例子.中国"]) == []


# --- National prefixes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["中国好物推荐", "中华美食网", "中央厨房", "国家标准查询", "全国招聘信息", "人民生活服务"]
)
def test_a_national_prefix_is_refused_for_an_enterprise(name):
    findings = check_website_name(name, subject_nature=ENTERPRISE, subject_name="杭州某某网络科技有限公司")
    assert codes(findings) == ["website_name.national_prefix"]
    with translation.override("en"):
        assert "Only national bodies" in str(findings[0].message)


@pytest.mark.parametrize(
    ("nature", "subject_name", "name"),
    [
        (SubjectNature.GOVERNMENT, "中华人民共和国教育部", "中国教育和科研计算机网"),
        (SubjectNature.GOVERNMENT, "国家统计局", "国家数据"),
        (SubjectNature.PUBLIC_INSTITUTION, "中国科学院计算技术研究所", "中国科学院计算所"),
        (SubjectNature.PUBLIC_INSTITUTION, "中央广播电视总台", "央视网"),
        (SubjectNature.GOVERNMENT, "全国人民代表大会常务委员会办公厅", "中国人大网"),
    ],
)
def test_a_national_prefix_is_allowed_for_a_national_body(nature, subject_name, name):
    assert check_website_name(name, subject_nature=nature, subject_name=subject_name) == []


def test_a_subject_whose_own_name_carries_the_prefix_may_use_it():
    # Only national enterprises are registered with 中国 in their name; their sites may carry it.
    assert check_website_name("中国移动", subject_nature=ENTERPRISE, subject_name="中国移动通信集团有限公司") == []
    assert check_website_name("全国栋的旅行日记", subject_nature=INDIVIDUAL, subject_name="全国栋") == []


def test_a_local_government_agency_is_not_a_national_body():
    assert not is_national_body(SubjectNature.GOVERNMENT, "杭州市人民政府")
    findings = check_website_name("中国杭州", subject_nature=SubjectNature.GOVERNMENT, subject_name="杭州市人民政府")
    assert codes(findings) == ["website_name.national_prefix"]


def test_an_enterprise_is_not_a_national_body_even_with_a_national_name():
    assert not is_national_body(ENTERPRISE, "中国移动通信集团有限公司")
    assert is_national_body(SubjectNature.PUBLIC_INSTITUTION, "中国科学院")


# --- Personal websites ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["张三的摄影作品集", "李四的旅行日记", "小王的读书笔记"])
def test_a_personal_website_describing_personal_content_passes(name):
    assert check(name, nature=INDIVIDUAL, subject_name="张三") == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("张三网络科技", ["网络科技"]),
        ("张三科技", ["科技"]),
        ("张三的公司", ["公司"]),
        ("张三工作室", ["工作室"]),
        ("张三商城", ["商城"]),
        ("张三贸易", ["贸易"]),
        ("张三官网", ["官网"]),
        ("张三集团官方网站", ["集团", "官方"]),
        ("张三企业服务", ["企业"]),
    ],
)
def test_company_and_industry_words_are_refused_on_a_personal_website(name, words):
    findings = check_website_name(name, subject_nature=INDIVIDUAL, subject_name="张三")
    assert codes(findings) == ["website_name.personal_business"]
    assert findings[0].params["words"] == words


@pytest.mark.parametrize("name", ["张三的博客", "张三论坛", "摄影社区", "影评评论", "张三的个人博客与论坛"])
def test_interactive_service_words_are_refused_on_a_personal_website(name):
    assert codes(check_website_name(name, subject_nature=INDIVIDUAL, subject_name="张三")) == [
        "website_name.personal_interactive"
    ]


def test_the_personal_words_are_allowed_for_an_enterprise():
    assert check("某某科技博客与论坛") == []


def test_the_banned_words_apply_to_every_subject():
    assert check("某某博彩资讯") == ["website_name.banned"]
    findings = check_website_name("某某博彩", subject_nature=INDIVIDUAL, subject_name="张三")
    assert codes(findings) == ["website_name.banned"]


# --- Admin data ----------------------------------------------------------------------------------------------------


def test_the_word_lists_are_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        check_website_name("张三的摄影作品集", subject_nature=INDIVIDUAL, subject_name="张三")


def test_words_passed_in_need_no_query(django_assert_num_queries):
    words = reserved_words()
    with django_assert_num_queries(0):
        assert check_website_name("张三的摄影作品集", subject_nature=INDIVIDUAL, words=words) == []


def test_an_administrator_can_add_a_word():
    ReservedWord.objects.create(word="摄影", kind=WordKind.PERSONAL_BUSINESS)
    findings = check_website_name("张三的摄影作品集", subject_nature=INDIVIDUAL)
    assert codes(findings) == ["website_name.personal_business"]


def test_an_administrator_can_ban_a_latin_word_whatever_its_case():
    ReservedWord.objects.create(word="Casino", kind=WordKind.BANNED)
    assert codes(check_website_name("某某CASINO资讯", subject_nature=ENTERPRISE)) == ["website_name.banned"]


def test_a_name_is_required():
    assert check("  ") == ["website_name.required"]
