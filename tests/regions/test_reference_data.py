"""reference_data.load() is idempotent, cheap when nothing changed, and never undoes an administrator's work."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions import reference_data, selectors
from regions.constants import PhotoMethod, PrincipalRule
from regions.models import ProvinceRule, Region

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Region.objects.order_by("code").values_list()),
        list(ProvinceRule.objects.order_by("province", "effective_from").values_list("province", "effective_from")),
    )


def test_loading_twice_changes_nothing():
    before = snapshot()
    summary = reference_data.load()
    assert snapshot() == before
    assert "0 new, 0 changed, 0 retired" in summary and "0 province rules added" in summary
    assert ProvinceRule.objects.count() == 62
    assert Region.objects.count() == 3222


def test_loading_when_everything_is_there_costs_two_queries():
    with CaptureQueriesContext(connection) as queries:
        reference_data.load()
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 2, statements


def test_reloading_keeps_an_administrators_edit_and_addition(region):
    beijing = region("110000")
    edited = ProvinceRule.objects.get(province=beijing, effective_from=date(2005, 3, 20))
    edited.principal_rule = PrincipalRule.LEGAL_REPRESENTATIVE
    edited.photo_method = PhotoMethod.BACKDROP_OR_PROVIDER_APP
    edited.note = "管理员修改"
    edited.save()
    added = ProvinceRule.objects.create(province=beijing, effective_from=date(2031, 5, 1), changes_allowed=False)

    call_command("load_reference_data", verbosity=0)

    edited.refresh_from_db()
    assert edited.principal_rule == PrincipalRule.LEGAL_REPRESENTATIVE
    assert edited.photo_method == PhotoMethod.BACKDROP_OR_PROVIDER_APP
    assert edited.note == "管理员修改"
    assert ProvinceRule.objects.filter(pk=added.pk, changes_allowed=False).exists()
    assert ProvinceRule.objects.filter(province=beijing).count() == 3


def test_reloading_restores_a_changed_division_name_and_adds_a_missing_one(region):
    Region.objects.filter(code="110101").update(name="改过的名字")
    Region.objects.filter(code="441900").delete()

    reference_data.load()

    assert region("110101").name == "东城区"
    assert region("441900").name == "东莞市"


def test_a_division_no_longer_in_the_file_is_kept_but_not_offered(region):
    Region.objects.create(code="110199", name="已撤销区", level="county", parent_id="110100")

    summary = reference_data.load()

    abolished = region("110199")
    assert abolished.is_active is False
    assert "1 retired" in summary
    assert "110199" not in [r.code for r in selectors.children("110100")]
