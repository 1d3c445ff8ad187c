"""The demo registry for `make run`: records filed through this portal's provider and through others, domain
registration records and legacy HiChina records, so that every filing type and every refusal of 验证备案类型 can
be reached by typing a certificate number and a domain. ``SCENARIOS`` is the table of docs/administration.md;
a test runs each row through the real detection.

Certificate numbers carry valid check characters (resident IDs: GB 11643; unified social credit codes: GB 32100).
Idempotent: a record already there (by ICP number or domain) is left alone.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from .constants import HICHINA_PROVIDER_NAME, CertificateType, SubjectNature, portal_provider_name
from .models import DomainRegistration, LegacyRecord, RegistrySubject, SimulatorSettings
from .services import (
    domain_registration_upsert,
    legacy_record_create,
    registry_subject_create,
    registry_website_add,
)

BEIJING, ZHEJIANG = "110000", "330000"
OTHER_PROVIDER = "华北数据科技有限公司"
ANOTHER_PROVIDER = "东方网络服务有限公司"
REGISTRAR = "示例域名注册服务有限公司"
VALID_UNTIL = date(2035, 12, 31)

ENTERPRISE, INDIVIDUAL = SubjectNature.ENTERPRISE, SubjectNature.INDIVIDUAL
LICENCE, RESIDENT_ID = CertificateType.BUSINESS_LICENCE, CertificateType.RESIDENT_ID


@dataclass(frozen=True)
class DemoWebsite:
    name: str
    icp_number: str
    domain: str
    ours: bool
    provider: str = OTHER_PROVIDER


@dataclass(frozen=True)
class DemoSubject:
    key: str
    name: str
    nature: str
    certificate_type: str
    certificate_number: str
    province: str
    icp_number: str
    password: str
    principal: str
    websites: tuple[DemoWebsite, ...]


SUBJECTS = (
    DemoSubject(
        "chenguang",
        "北京晨光科技有限公司",
        ENTERPRISE,
        LICENCE,
        "91110101MA01A2B3CA",
        BEIJING,
        "京ICP备20000101号",
        "Chenguang-2026",
        "刘晨",
        (DemoWebsite("晨光科技", "京ICP备20000101号-1", "chenguang-tech.cn", ours=True),),
    ),
    DemoSubject(
        "yuanshan",
        "北京远山文化传媒有限公司",
        ENTERPRISE,
        LICENCE,
        "91110105MA01D4E5F6",
        BEIJING,
        "京ICP备19001234号",
        "Yuanshan-2026",
        "孙远",
        (DemoWebsite("远山文化", "京ICP备19001234号-1", "yuanshan-media.com", ours=False),),
    ),
    DemoSubject(
        "qinghe",
        "北京青禾教育咨询有限公司",
        ENTERPRISE,
        LICENCE,
        "91110108MA01G6H7JK",
        BEIJING,
        "京ICP备18005678号",
        "Qinghe-2026",
        "何青",
        (
            DemoWebsite("青禾教育", "京ICP备18005678号-1", "qinghe-edu.cn", ours=True),
            DemoWebsite("青禾商城", "京ICP备18005678号-2", "qinghe-shop.com", ours=False, provider=ANOTHER_PROVIDER),
        ),
    ),
    DemoSubject(
        "liming",
        "李明",
        INDIVIDUAL,
        RESIDENT_ID,
        "110102197001010055",
        BEIJING,
        "京ICP备17002468号",
        "Liming-2026",
        "李明",
        (DemoWebsite("李明的笔记", "京ICP备17002468号-1", "liming-notes.cn", ours=False),),
    ),
    DemoSubject(
        "xihu",
        "杭州西湖网络科技有限公司",
        ENTERPRISE,
        LICENCE,
        "91330106MA27K8L9MA",
        ZHEJIANG,
        "浙ICP备16003579号",
        "Xihu-2026",
        "钱湖",
        (DemoWebsite("西湖网络", "浙ICP备16003579号-1", "xihu-net.cn", ours=False),),
    ),
    DemoSubject(
        "zhaojing",
        "赵静",
        INDIVIDUAL,
        RESIDENT_ID,
        "11010619881111004X",
        BEIJING,
        "京ICP备09054321号",
        "Zhaojing-2026",
        "赵静",
        (DemoWebsite("赵静的摄影", "京ICP备09054321号-1", "zhaojing.net", ours=False, provider=ANOTHER_PROVIDER),),
    ),
)

# Someone nobody has filed for: a first filing.
NEWCOMER = ("陈晓", RESIDENT_ID, "110101199509090060")


@dataclass(frozen=True)
class DemoLegacy:
    subject_name: str
    nature: str
    certificate_type: str
    certificate_number: str
    province: str
    domain: str
    icp_number: str
    filed_on: date
    transferred: bool


LEGACY = (
    DemoLegacy(
        "王建国",
        INDIVIDUAL,
        RESIDENT_ID,
        "110105199005050079",
        BEIJING,
        "jianguo-home.cn",
        "京ICP备08012345号",
        date(2008, 3, 15),
        transferred=False,
    ),
    # Filed with HiChina too, but moved to another provider since: no longer claimable (a transfer-in instead).
    DemoLegacy(
        "赵静",
        INDIVIDUAL,
        RESIDENT_ID,
        "11010619881111004X",
        BEIJING,
        "zhaojing.net",
        "京ICP备09054321号",
        date(2009, 7, 1),
        transferred=True,
    ),
)


@dataclass(frozen=True)
class DemoRegistration:
    domain: str
    holder_name: str
    holder_certificate_type: str
    holder_certificate_number: str
    expires_on: date = VALID_UNTIL
    real_name_verified: bool = True


def _registrations() -> list[DemoRegistration]:
    rows = []
    for subject in SUBJECTS:
        domains = [w.domain for w in subject.websites]
        domains += NEW_DOMAINS.get(subject.key, [])
        rows += [
            DemoRegistration(domain, subject.name, subject.certificate_type, subject.certificate_number)
            for domain in domains
        ]
    for legacy in LEGACY:
        rows.append(
            DemoRegistration(legacy.domain, legacy.subject_name, legacy.certificate_type, legacy.certificate_number)
        )
    name, certificate_type, number = NEWCOMER
    rows += [
        DemoRegistration("chenxiao-blog.cn", name, certificate_type, number),
        DemoRegistration("chenxiao-old.cn", name, certificate_type, number, expires_on=date(2024, 1, 1)),
        DemoRegistration("chenxiao-unverified.cn", name, certificate_type, number, real_name_verified=False),
        DemoRegistration("someone-else.cn", "周杰", RESIDENT_ID, "110108197806200030"),
    ]
    return rows


# Domains registered to a demo subject but filed by nobody: what "add website" files.
NEW_DOMAINS = {"chenguang": ["chenguang-shop.cn"], "yuanshan": ["yuanshan-video.cn"]}


@dataclass(frozen=True)
class Scenario:
    """One row of docs/administration.md: enter these on 验证备案类型 and see ``expect`` (an order type or a
    refusal code; ``warning`` a domain-check warning code shown with it)."""

    expect: str
    province: str
    nature: str
    certificate_type: str
    certificate_number: str
    domain: str
    warning: str = ""


SCENARIOS = (
    Scenario("first_filing", BEIJING, INDIVIDUAL, RESIDENT_ID, NEWCOMER[2], "chenxiao-blog.cn"),
    Scenario("first_filing", BEIJING, INDIVIDUAL, RESIDENT_ID, NEWCOMER[2], "chenxiao-old.cn", warning="expired"),
    Scenario(
        "first_filing", BEIJING, INDIVIDUAL, RESIDENT_ID, NEWCOMER[2], "someone-else.cn", warning="holder_mismatch"
    ),
    Scenario(
        "first_filing",
        BEIJING,
        INDIVIDUAL,
        RESIDENT_ID,
        NEWCOMER[2],
        "chenxiao-unverified.cn",
        warning="not_real_name_verified",
    ),
    Scenario(
        "first_filing", BEIJING, INDIVIDUAL, RESIDENT_ID, NEWCOMER[2], "chenxiao-new.cn", warning="not_registered"
    ),
    Scenario("add_website", BEIJING, ENTERPRISE, LICENCE, "91110101MA01A2B3CA", "chenguang-shop.cn"),
    Scenario("add_website_new_user", BEIJING, ENTERPRISE, LICENCE, "91110105MA01D4E5F6", "yuanshan-video.cn"),
    Scenario("transfer_in", BEIJING, ENTERPRISE, LICENCE, "91110105MA01D4E5F6", "yuanshan-media.com"),
    Scenario("transfer_in", BEIJING, INDIVIDUAL, RESIDENT_ID, "11010619881111004X", "zhaojing.net"),
    Scenario("continue_transfer_in", BEIJING, ENTERPRISE, LICENCE, "91110108MA01G6H7JK", "qinghe-shop.com"),
    Scenario("claim", BEIJING, INDIVIDUAL, RESIDENT_ID, "110105199005050079", "jianguo-home.cn"),
    Scenario("domain_filed_under_another_subject", BEIJING, INDIVIDUAL, RESIDENT_ID, NEWCOMER[2], "yuanshan-media.com"),
    Scenario("domain_filed_with_us", BEIJING, ENTERPRISE, LICENCE, "91110101MA01A2B3CA", "chenguang-tech.cn"),
    Scenario("region_mismatch", BEIJING, ENTERPRISE, LICENCE, "91330106MA27K8L9MA", "xihu-shop.cn"),
    Scenario("uscc.checksum", BEIJING, ENTERPRISE, LICENCE, "91110101MA01A2B3CB", "chenguang-shop.cn"),
    Scenario("resident_id.checksum", BEIJING, INDIVIDUAL, RESIDENT_ID, "110101199509090061", "chenxiao-blog.cn"),
)


# The principals' mobiles on record, so 找回备案密码 (/miit/password/) can be tried on the demo registry.
PRINCIPAL_MOBILES = {
    "京ICP备20000101号": "13910000101",
    "京ICP备19001234号": "13910000102",
    "京ICP备18005678号": "13910000103",
    "京ICP备17002468号": "13910000104",
    "浙ICP备16003579号": "13910000105",
    "京ICP备09054321号": "13910000106",
}


def load() -> list[str]:
    ours = portal_provider_name()
    for subject in SUBJECTS:
        if RegistrySubject.objects.filter(icp_number=subject.icp_number).exists():
            continue
        record = registry_subject_create(
            certificate_type=subject.certificate_type,
            certificate_number=subject.certificate_number,
            name=subject.name,
            nature=subject.nature,
            province=subject.province,
            icp_number=subject.icp_number,
            password=subject.password,
            principal_name=subject.principal,
            filed_on=date(2019, 1, 1),
        )
        for website in subject.websites:
            registry_website_add(
                subject=record,
                name=website.name,
                icp_number=website.icp_number,
                access_provider=ours if website.ours else website.provider,
                domains=[website.domain],
                principal_name=subject.principal,
                filed_on=date(2019, 1, 1),
            )
    for legacy in LEGACY:
        if LegacyRecord.objects.filter(icp_number=legacy.icp_number).exists():
            continue
        legacy_record_create(
            certificate_type=legacy.certificate_type,
            certificate_number=legacy.certificate_number,
            subject_name=legacy.subject_name,
            nature=legacy.nature,
            province=legacy.province,
            domain=legacy.domain,
            icp_number=legacy.icp_number,
            filed_on=legacy.filed_on,
            transferred=legacy.transferred,
        )
    for row in _registrations():
        if DomainRegistration.objects.filter(ascii_name=row.domain).exists():
            continue
        domain_registration_upsert(
            domain=row.domain,
            registrar=REGISTRAR if row.domain not in {lg.domain for lg in LEGACY} else HICHINA_PROVIDER_NAME,
            holder_name=row.holder_name,
            holder_certificate_type=row.holder_certificate_type,
            holder_certificate_number=row.holder_certificate_number,
            expires_on=row.expires_on,
            real_name_verified=row.real_name_verified,
        )
    for icp_number, mobile in PRINCIPAL_MOBILES.items():
        RegistrySubject.objects.filter(icp_number=icp_number, principal_mobile="").update(principal_mobile=mobile)
    lines = ["Demo registry (simulated administration): see docs/administration.md for what to enter on 验证备案类型."]
    speed = int(getattr(settings, "MIIT_SECONDS_PER_WORKING_DAY", 0) or 0)
    if speed:
        SimulatorSettings.objects.update_or_create(pk=1, defaults={"seconds_per_working_day": speed})
        lines.append(
            f"Simulated administration: a working day of review passes in {speed} s (3–20 days: "
            f"{3 * speed}–{20 * speed} s); SMS codes go to the demo phone (/demo/phone/)."
        )
    return lines
