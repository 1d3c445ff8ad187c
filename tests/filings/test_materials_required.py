"""required_materials / missing_materials: which documents an order needs, by subject nature, province rule,
principals, pre-approval types and order type (docs/materials.md has the table)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.constants import MaterialKind, OrderType
from filings.materials import material_upload
from filings.models import DomainApplication, FilingOrder, PersonApplication, SubjectApplication, WebsiteApplication
from filings.requirements import missing_materials, required_materials
from regions.constants import PrincipalRule
from regions.models import ProvinceRule, Region
from regions.selectors import province_rule_for

from .hostile import generators as samples
from .hostile.storage import use_private_storage

K = MaterialKind


@pytest.fixture(autouse=True)
def storage_root(settings, tmp_path):
    return use_private_storage(settings, tmp_path / "private")


def kinds(order):
    return [(r.kind, r.person_id, r.website_id, r.required, r.count) for r in required_materials(order)]


def principal_of(order):
    return PersonApplication.objects.filter(order=order).first()


def website_of(order):
    return WebsiteApplication.objects.get(order=order)


def add_person(order, name="李娜", certificate_type="resident_id", number="110101199003070012"):
    return PersonApplication.objects.create(
        order=order,
        name=name,
        certificate_type=certificate_type,
        certificate_number=number,
        mobile="13900139000",
        office_phone="086-010-62345679",
        email="li.na@example.com",
    )


def move_to_province(order, code):
    FilingOrder.objects.filter(pk=order.pk).update(province=Region.objects.get(code=code))
    SubjectApplication.objects.filter(order=order).update(province=code, city=None, district=None)
    return FilingOrder.objects.get(pk=order.pk)


def upload(order, kind, **slot):
    return material_upload(
        order_id=order.pk,
        actor=order.applicant,
        kind=kind,
        uploaded_file=SimpleUploadedFile("scan.jpg", samples.jpeg()),
        **slot,
    )


def test_enterprise_in_beijing_needs_statement_licence_and_the_principals_id(make_order):
    order = make_order()
    person = principal_of(order)  # subject and website principal are the same person: asked for once
    assert kinds(order) == [
        (K.AUTHENTICITY_STATEMENT, None, None, True, 1),
        (K.SUBJECT_CERTIFICATE, None, None, True, 1),
        (K.ID_FRONT, person.pk, None, True, 1),
        (K.ID_BACK, person.pk, None, True, 1),
    ]


def test_individual_needs_no_subject_certificate(make_order):
    order = make_order()
    SubjectApplication.objects.filter(order=order).update(nature="individual", certificate_type="resident_id")
    assert K.SUBJECT_CERTIFICATE not in [r.kind for r in required_materials(order)]
    assert K.AUTHENTICITY_STATEMENT in [r.kind for r in required_materials(order)]


def test_each_website_principal_brings_their_own_id(make_order):
    order = make_order()
    subject_principal = principal_of(order)
    website_principal = add_person(order)
    WebsiteApplication.objects.filter(order=order).update(principal=website_principal)
    found = [(r.kind, r.person_id) for r in required_materials(order) if r.kind in (K.ID_FRONT, K.ID_BACK)]
    assert found == [
        (K.ID_FRONT, subject_principal.pk),
        (K.ID_BACK, subject_principal.pk),
        (K.ID_FRONT, website_principal.pk),
        (K.ID_BACK, website_principal.pk),
    ]


def test_the_same_person_on_two_rows_is_asked_once(make_order):
    order = make_order()
    twin = add_person(order, name="张伟", number=principal_of(order).certificate_number)
    WebsiteApplication.objects.filter(order=order).update(principal=twin)
    assert [r.kind for r in required_materials(order)].count(K.ID_FRONT) == 1


def test_a_passport_has_only_a_photo_page(make_order):
    order = make_order()
    PersonApplication.objects.filter(order=order).update(certificate_type="passport", certificate_number="E12345678")
    found = [r.kind for r in required_materials(order)]
    assert K.ID_FRONT in found
    assert K.ID_BACK not in found


def test_pre_approval_types_need_one_document_each(make_order):
    order = make_order()
    website = website_of(order)
    WebsiteApplication.objects.filter(pk=website.pk).update(
        pre_approvals=[{"type": "news", "document_number": "A1"}, {"type": "healthcare", "document_number": "B2"}]
    )
    [requirement] = [r for r in required_materials(order) if r.kind == K.PRE_APPROVAL_DOCUMENT]
    assert (requirement.website_id, requirement.count, requirement.required) == (website.pk, 2, True)
    assert "News" in str(requirement.why)
    assert "Healthcare" in str(requirement.why)

    upload(order, K.PRE_APPROVAL_DOCUMENT, website_id=website.pk)
    [finding] = [f for f in missing_materials(order) if f.field.startswith("materials.pre_approval_document")]
    assert finding.field == f"materials.pre_approval_document.website.{website.pk}"
    assert finding.params == {"have": 1, "need": 2}

    upload(order, K.PRE_APPROVAL_DOCUMENT, website_id=website.pk)
    assert not [f for f in missing_materials(order) if f.field.startswith("materials.pre_approval_document")]


def test_no_pre_approval_no_document(make_order):
    assert K.PRE_APPROVAL_DOCUMENT not in [r.kind for r in required_materials(make_order())]


def test_domain_certificate_where_the_province_rule_asks_for_it(make_order):
    order = make_order()
    assert K.DOMAIN_CERTIFICATE not in [r.kind for r in required_materials(order)]

    rule = province_rule_for(order.province)
    ProvinceRule.objects.filter(pk=rule.pk).update(extra={"domain_certificate_required": True})
    website = website_of(order)
    DomainApplication.objects.create(website=website, name="例子.中国", ascii_name="xn--fsqu00a.xn--fiqs8s")

    [requirement] = [r for r in required_materials(order) if r.kind == K.DOMAIN_CERTIFICATE]
    assert (requirement.website_id, requirement.count) == (website.pk, 2)
    assert "例子.中国" in str(requirement.why)


@pytest.mark.parametrize(
    ("province", "offered"),
    [("220000", True), ("510000", True), ("110000", False), ("310000", False)],
    ids=["jilin (letter)", "sichuan (letter)", "beijing (free)", "shanghai (legal representative)"],
)
def test_authorisation_letter_is_offered_where_the_province_allows_one(make_order, province, offered):
    order = move_to_province(make_order(), province)
    rule = province_rule_for(order.province)
    assert (rule.principal_rule == PrincipalRule.AUTHORISATION_LETTER) is offered
    letters = [r for r in required_materials(order) if r.kind == K.AUTHORISATION_LETTER]
    assert bool(letters) is offered
    if letters:
        # The application does not say yet whether the principal is the legal representative: offered, not enforced.
        assert letters[0].required is False
        assert not [f for f in missing_materials(order) if "authorisation_letter" in f.field]


def test_authorisation_letter_is_required_once_the_principal_is_known_not_to_be_the_legal_representative(
    make_order, monkeypatch
):
    order = move_to_province(make_order(), "220000")
    monkeypatch.setattr(SubjectApplication, "principal_is_legal_representative", False, raising=False)
    [letter] = [r for r in required_materials(order) if r.kind == K.AUTHORISATION_LETTER]
    assert letter.required is True
    assert "materials.authorisation_letter" in [f.field for f in missing_materials(order)]

    monkeypatch.setattr(SubjectApplication, "principal_is_legal_representative", True, raising=False)
    assert K.AUTHORISATION_LETTER not in [r.kind for r in required_materials(order)]


def test_no_authorisation_letter_for_an_individual(make_order):
    order = move_to_province(make_order(), "220000")
    SubjectApplication.objects.filter(order=order).update(nature="individual", certificate_type="resident_id")
    assert K.AUTHORISATION_LETTER not in [r.kind for r in required_materials(order)]


@pytest.mark.parametrize("order_type", [OrderType.CANCEL_SUBJECT, OrderType.CANCEL_WEBSITE, OrderType.CANCEL_ACCESS])
def test_cancellations_need_only_the_statement_and_the_ids(make_order, order_type):
    order = make_order(order_type=order_type)
    WebsiteApplication.objects.filter(order=order).update(pre_approvals=[{"type": "news", "document_number": "A"}])
    order = move_to_province(order, "220000")
    assert {r.kind for r in required_materials(order)} == {K.AUTHENTICITY_STATEMENT, K.ID_FRONT, K.ID_BACK}


def test_missing_materials_names_each_field_and_clears_when_uploaded(make_order):
    order = make_order()
    person = principal_of(order)
    fields = [f.field for f in missing_materials(order)]
    assert fields == [
        "materials.authenticity_statement",
        "materials.subject_certificate",
        f"materials.id_front.person.{person.pk}",
        f"materials.id_back.person.{person.pk}",
    ]
    assert all(f.is_error and f.code == "material_missing" for f in missing_materials(order))
    assert "张伟" in str(missing_materials(order)[2].message)

    upload(order, K.AUTHENTICITY_STATEMENT)
    upload(order, K.SUBJECT_CERTIFICATE)
    upload(order, K.ID_FRONT, person_id=person.pk)
    assert [f.field for f in missing_materials(order)] == [f"materials.id_back.person.{person.pk}"]
    upload(order, K.ID_BACK, person_id=person.pk)
    assert missing_materials(order) == []


def test_a_principal_not_yet_chosen_has_no_slot(make_order):
    order = make_order()
    SubjectApplication.objects.filter(order=order).update(principal=None)
    WebsiteApplication.objects.filter(order=order).update(principal=None)
    assert {r.kind for r in required_materials(order)} == {K.AUTHENTICITY_STATEMENT, K.SUBJECT_CERTIFICATE}
