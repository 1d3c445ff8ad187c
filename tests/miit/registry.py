"""Builders for the simulated administration's registry and the portal's filed records, for tests.

Certificate numbers come with valid check characters (python-stdnum), so the detection's certificate checks pass
and each test reaches the rule it is about.
"""

import itertools
from datetime import date

from stdnum.cn import ric, uscc

from miit import services as registry
from miit.constants import portal_provider_name
from regions.models import Region
from subjects.models import Person, Subject
from websites.models import Domain, Website

OTHER_PROVIDER = "其他接入商有限公司"
FAR_FUTURE = date(2099, 12, 31)

_serial = itertools.count(1)


def resident_id(*, area: str = "110101", birth: str = "19900101") -> str:
    body = f"{area}{birth}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(*, area: str = "110101") -> str:
    body = f"91{area}MA{next(_serial):07d}"
    return body + uscc.calc_check_digit(body)


def province(code: str = "110000") -> Region:
    return Region.objects.get(pk=code)


def registry_subject(
    *,
    name: str = "北京测试科技有限公司",
    nature: str = "enterprise",
    certificate_type: str = "business_licence",
    certificate_number: str | None = None,
    province_code: str = "110000",
    password: str | None = "Registry-Pass-1",  # noqa: S107 - a test fixture's ICP password
    websites: tuple = (),
):
    """A subject in the national registry; ``websites`` are ``(domain, ours)`` pairs, each its own website."""
    if certificate_number is None:
        certificate_number = resident_id() if nature == "individual" else credit_code()
    subject = registry.registry_subject_create(
        certificate_type=certificate_type,
        certificate_number=certificate_number,
        name=name,
        nature=nature,
        province=province_code,
        password=password,
        principal_name="张三",
    )
    for domain, ours in websites:
        registry_website(subject, domain, ours=ours)
    return subject


def registry_website(subject, domain: str, *, ours: bool, name: str = "测试网站"):
    return registry.registry_website_add(
        subject=subject,
        name=name,
        access_provider=portal_provider_name() if ours else OTHER_PROVIDER,
        domains=[domain],
    )


def registration(domain: str, *, holder=None, expires_on: date = FAR_FUTURE, verified: bool = True, **holder_fields):
    """A domain registration record, held by ``holder`` (a registry subject) unless holder fields are given."""
    fields = {
        "holder_name": holder.name if holder else "",
        "holder_certificate_type": holder.certificate_type if holder else "",
        "holder_certificate_number": holder.certificate_number if holder else "",
    }
    fields.update(holder_fields)
    return registry.domain_registration_upsert(
        domain=domain, registrar="测试注册商", expires_on=expires_on, real_name_verified=verified, **fields
    )


def legacy(
    domain: str,
    *,
    certificate_number: str | None = None,
    filed_on: date = date(2008, 5, 1),
    transferred: bool = False,
    province_code: str = "110000",
    icp_number: str | None = None,
):
    return registry.legacy_record_create(
        certificate_type="resident_id",
        certificate_number=certificate_number or resident_id(),
        subject_name="王五",
        nature="individual",
        province=province_code,
        domain=domain,
        icp_number=icp_number or f"京ICP备08{next(_serial):06d}号",
        filed_on=filed_on,
        transferred=transferred,
    )


def portal_subject(
    *,
    owner,
    certificate_type: str = "business_licence",
    certificate_number: str,
    nature: str = "enterprise",
    province_code: str = "110000",
    name: str = "北京测试科技有限公司",
    domains: tuple[str, ...] = (),
) -> Subject:
    """A subject filed through this portal (what an approval writes), with one website per domain."""
    subject = Subject.objects.create(
        owner=owner,
        province=province(province_code),
        nature=nature,
        certificate_type=certificate_type,
        certificate_number=certificate_number,
        name=name,
        certificate_address="北京市东城区东长安街1号",
        mailing_address="东长安街1号",
        investor="张三",
        icp_number=f"京ICP备30{next(_serial):06d}号",
    )
    person = Person.objects.create(
        subject=subject,
        name="张三",
        certificate_type="resident_id",
        certificate_number=resident_id(),
        mobile="13800138000",
        office_phone="086-010-62345678",
        email="zhangsan@example.com",
    )
    for index, domain in enumerate(domains, start=1):
        website = Website.objects.create(
            subject=subject,
            principal=person,
            name=f"网站{index}",
            homepage_url=f"https://www.{domain}/",
            icp_number=f"{subject.icp_number}-{index}",
        )
        Domain.objects.create(website=website, name=domain, ascii_name=domain)
    return subject
