"""Reference data of the websites app: service contents, domain suffixes, suffix rules by subject nature, reserved
words of website names (RULES.md, "Choices" and "Validation").

``load()`` reads the natural keys of all four tables in one query and inserts only the rows that are missing: an
administrator's edit (a suffix refused, a content deactivated) is never overwritten. An administrator who wants a
shipped row gone sets it inactive / not approved rather than deleting it, or the next load adds it again.
Sources: docs/validation.md.
"""

import idna
from django.db.models import CharField, Value

from core.schedules import ensure_crontab, ensure_interval
from subjects.constants import SubjectNature

from .constants import WordKind
from .models import DomainSuffix, NatureDomainSuffix, ReservedWord, ServiceContent

# 网站服务内容 (RULES.md, Choices). Personal websites: 其他 only.
SERVICE_CONTENTS = (
    ("portal", "综合门户", "General portal"),
    ("organisation_portal", "单位门户网站", "Organisation portal"),
    ("images", "网络图片", "Online images"),
    ("website_building", "网站建设", "Website building"),
    ("blog", "博客/个人空间", "Blog or personal space"),
    ("ecommerce", "电子商务", "E-commerce"),
    ("online_games", "网络游戏", "Online games"),
    ("search_engine", "搜索引擎", "Search engine"),
    ("instant_messaging", "即时通信", "Instant messaging"),
    ("webmail", "网上邮局", "Webmail"),
    ("online_advertising", "网络广告", "Online advertising"),
    ("other", "其他", "Other"),
)
INDIVIDUAL_SERVICE_CONTENTS = frozenset({"other"})

SEED_NOTE = "种子文档: 北京地区常见可备案域名后缀"
MIIT_NOTE = "工业和信息化部批准的中文域名后缀"
CN_NOTE = "CN 二级域"
REFUSED_NOTE = "种子文档: 暂不支持备案的域名后缀"
# The seed's Beijing list (chapter 3, "北京地区常见可备案域名后缀") with its Chinese examples, more Chinese suffixes
# whose registries the MIIT approved, and second-level .cn zones (so that an administrator can refuse one alone).
SEED_SUFFIXES = (
    *("xin", "top", "citic", "mobi", "tel", "wang", "ren", "com", "cn", "net", "cc", "tv", "gov", "org"),
    *("shop", "vip", "ltd", "biz", "club", "site", "中国", "网络", "公司", "我爱你"),
)
MIIT_CHINESE_SUFFIXES = ("中國", "中文网", "网址", "商城", "在线", "网店", "集团", "公益", "政务")
CN_SECOND_LEVEL_SUFFIXES = ("com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn")
APPROVED_SUFFIXES = (
    *((suffix, SEED_NOTE) for suffix in SEED_SUFFIXES),
    *((suffix, MIIT_NOTE) for suffix in MIIT_CHINESE_SUFFIXES),
    *((suffix, CN_NOTE) for suffix in CN_SECOND_LEVEL_SUFFIXES),
)
# The seed's "暂不支持备案的域名后缀" (it spells .asia as .aisa).
REFUSED_SUFFIXES = tuple((suffix, REFUSED_NOTE) for suffix in ("hk", "tw", "asia", "jp", "co", "so", "me", "xyz"))

# Subjects of these natures file only domains on these suffixes (public institutions: .cn or .公益; government
# agencies: .gov.cn or .政务).
NATURE_SUFFIXES = (
    (SubjectNature.PUBLIC_INSTITUTION, "cn"),
    (SubjectNature.PUBLIC_INSTITUTION, "公益"),
    (SubjectNature.GOVERNMENT, "gov.cn"),
    (SubjectNature.GOVERNMENT, "政务"),
)

RESERVED_WORDS = {
    WordKind.NATIONAL_PREFIX: ("中国", "中华", "中央", "国家", "全国", "人民"),
    WordKind.PERSONAL_BUSINESS: (
        *("公司", "企业", "集团", "工作室", "商城", "网络科技", "科技", "贸易", "商贸", "官网", "官方", "有限"),
        *("股份", "实业", "传媒", "咨询", "投资", "金融", "理财", "医疗", "医院", "药品", "教育", "培训", "新闻"),
        *("出版", "影视", "游戏", "政府", "协会", "中心", "门户", "购物", "电商"),
    ),
    WordKind.PERSONAL_INTERACTIVE: ("博客", "论坛", "社区", "评论", "贴吧", "问答", "交流"),
    WordKind.BANNED: ("赌博", "博彩", "色情", "六合彩", "代孕"),
}


def ascii_suffix(suffix: str) -> str:
    """``中国`` → ``xn--fiqs8s``; ``com.cn`` stays."""
    return idna.encode(suffix, uts46=True).decode("ascii")


def _service_content_rows() -> list[ServiceContent]:
    return [
        ServiceContent(
            code=code,
            name=name,
            name_en=name_en,
            allowed_for_individuals=code in INDIVIDUAL_SERVICE_CONTENTS,
            sort_order=(index + 1) * 10,
        )
        for index, (code, name, name_en) in enumerate(SERVICE_CONTENTS)
    ]


def _suffix_rows() -> list[DomainSuffix]:
    return [
        DomainSuffix(suffix=suffix, ascii_suffix=ascii_suffix(suffix), approved=approved, note=note)
        for approved, rows in ((True, APPROVED_SUFFIXES), (False, REFUSED_SUFFIXES))
        for suffix, note in rows
    ]


def _present_keys() -> set[tuple[str, str, str]]:
    """The natural keys of the four tables, in one query: (table, key, key)."""

    def tagged(queryset, tag, first, second):
        return queryset.values_list(Value(tag, output_field=CharField()), first, second).order_by()

    # A suffix row blocks a new one by its Unicode or its ASCII form (both are unique).
    query = tagged(ServiceContent.objects.all(), "content", "code", Value("", output_field=CharField())).union(
        tagged(DomainSuffix.objects.all(), "suffix", "suffix", "ascii_suffix"),
        tagged(NatureDomainSuffix.objects.all(), "nature", "nature", "suffix"),
        tagged(ReservedWord.objects.all(), "word", "kind", "word"),
        all=True,
    )
    return set(query)


def load() -> str:
    present = _present_keys()
    contents = [row for row in _service_content_rows() if ("content", row.code, "") not in present]
    suffixes_present = {key for tag, *keys in present if tag == "suffix" for key in keys}
    suffixes = [
        row for row in _suffix_rows() if row.suffix not in suffixes_present and row.ascii_suffix not in suffixes_present
    ]
    natures = [
        NatureDomainSuffix(nature=nature, suffix=suffix)
        for nature, suffix in NATURE_SUFFIXES
        if ("nature", nature, suffix) not in present
    ]
    words = [
        ReservedWord(word=word, kind=kind)
        for kind, listed in RESERVED_WORDS.items()
        for word in listed
        if ("word", kind, word) not in present
    ]
    for model, rows in (
        (ServiceContent, contents),
        (DomainSuffix, suffixes),
        (NatureDomainSuffix, natures),
        (ReservedWord, words),
    ):
        if rows:
            model.objects.bulk_create(rows, ignore_conflicts=True)
    ensure_crontab(
        name="Remind owners to renew instances that carry a filing",
        task="websites.send_renewal_reminders",
        minute="0",
        hour="9",
    )
    ensure_interval(
        name="Remind owners of the PSB filing deadline", task="filings.send_psb_reminders", every_seconds=3600
    )
    return (
        f"{len(contents)} service contents, {len(suffixes)} domain suffixes, {len(natures)} nature suffix rules, "
        f"{len(words)} reserved words added"
    )
