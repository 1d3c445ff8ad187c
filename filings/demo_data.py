"""Filed records the demo applicant already holds with us, matching the simulated registry's demo subjects
(docs/administration.md): 北京晨光科技有限公司 (add a website) and 北京青禾教育咨询有限公司 (continue transfer-in)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from regions.models import Region
from subjects.models import Person, Subject
from websites.models import Domain, Website

DEMO_APPLICANT = "applicant@example.com"
SHANGHAI = ZoneInfo("Asia/Shanghai")

HELD = (
    {
        "name": "北京晨光科技有限公司",
        "certificate_number": "91110101MA01A2B3CA",
        "icp_number": "京ICP备20000101号",
        "district": "110101",
        "address": "北京市东城区东长安街1号",
        "principal": ("刘晨", "110101198001010017", "13600136001", "liu.chen@example.com"),
        "websites": [("晨光科技", "京ICP备20000101号-1", "chenguang-tech.cn")],
        "filed": datetime(2020, 5, 20, 10, 0, tzinfo=SHANGHAI),
    },
    {
        "name": "北京青禾教育咨询有限公司",
        "certificate_number": "91110108MA01G6H7JK",
        "icp_number": "京ICP备18005678号",
        "district": "110108",
        "address": "北京市海淀区中关村南大街5号",
        "principal": ("何青", "11010819850303002X", "13600136002", "he.qing@example.com"),
        "websites": [("青禾教育", "京ICP备18005678号-1", "qinghe-edu.cn")],
        "filed": datetime(2018, 3, 12, 15, 0, tzinfo=SHANGHAI),
    },
)


def load() -> list[str]:
    owner = get_user_model().objects.filter(email=DEMO_APPLICANT).first()
    if owner is None:
        return []
    created = []
    for data in HELD:
        if Subject.objects.filter(certificate_number=data["certificate_number"]).exists():
            continue
        district = Region.objects.get(code=data["district"])
        subject = Subject.objects.create(
            owner=owner,
            province=Region.objects.get(code="110000"),
            city=district.parent,
            district=district,
            nature="enterprise",
            certificate_type="business_licence",
            certificate_number=data["certificate_number"],
            name=data["name"],
            certificate_address=data["address"],
            mailing_address=data["address"].removeprefix("北京市").split("区", 1)[-1],
            investor=data["principal"][0],
            icp_number=data["icp_number"],
            filed_at=data["filed"],
        )
        name, id_number, mobile, email = data["principal"]
        principal = Person.objects.create(
            subject=subject,
            name=name,
            certificate_type="resident_id",
            certificate_number=id_number,
            mobile=mobile,
            office_phone="086-010-62000000",
            email=email,
        )
        subject.principal = principal
        subject.save(update_fields=["principal"])
        for website_name, number, domain in data["websites"]:
            website = Website.objects.create(
                subject=subject,
                principal=principal,
                name=website_name,
                homepage_url=f"https://www.{domain}/",
                service_content=["organisation_portal"],
                languages=["zh_hans"],
                icp_number=number,
                filed_at=data["filed"],
            )
            Domain.objects.create(website=website, name=domain, ascii_name=domain)
        created.append(data["name"])
    if not created:
        return []
    return [f"  Filed subjects held by {DEMO_APPLICANT}: {', '.join(created)}"]
