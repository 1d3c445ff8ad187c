"""The admin: divisions read-only and searchable, province rules and working-day overrides editable."""

from datetime import date

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from regions.models import ProvinceRule, Region, WorkingDayOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(email="root@example.com", password="a-long-password-1")


def get(path: str, user, **params):
    request = RequestFactory().get(path, params)
    request.user = user
    return request


def changelist(model, user, **params):
    response = admin.site._registry[model].changelist_view(get("/admin/", user, **params))
    response.render()
    return response


def test_divisions_are_read_only_even_for_a_superuser(superuser):
    model_admin = admin.site._registry[Region]
    request = get("/admin/", superuser)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, Region.objects.get(pk="110101"))
    assert not model_admin.has_delete_permission(request)


def test_divisions_can_be_searched_by_name_and_by_code(superuser):
    by_name = changelist(Region, superuser, q="仙桃")
    assert [r.code for r in by_name.context_data["cl"].result_list] == ["429004"]
    by_code = changelist(Region, superuser, q="441900")
    assert [r.name for r in by_code.context_data["cl"].result_list] == ["东莞市"]


def test_divisions_can_be_filtered_by_province_and_level(superuser):
    response = changelist(Region, superuser, province="42", level="prefecture")
    names = [r.name for r in response.context_data["cl"].result_list]
    assert "武汉市" in names and "省直辖县级行政区划" in names and "广州市" not in names
    assert len(names) == 14


def test_province_rules_and_overrides_are_editable(superuser):
    request = get("/admin/", superuser)
    for model in (ProvinceRule, WorkingDayOverride):
        model_admin = admin.site._registry[model]
        assert model_admin.has_add_permission(request) and model_admin.has_change_permission(request)


def test_province_rules_list_by_province_and_date(superuser):
    response = changelist(ProvinceRule, superuser, province__code__exact="330000")
    rows = [(r.province.abbreviation, r.effective_from) for r in response.context_data["cl"].result_list]
    assert rows == [("浙", date(2005, 3, 20)), ("浙", date(2018, 9, 10))]


def test_the_override_list_shows_the_weekday(superuser):
    WorkingDayOverride.objects.create(date=date(2027, 9, 26), is_working_day=True, note="调休")
    with translation.override("en"):
        response = changelist(WorkingDayOverride, superuser)
        assert response.status_code == 200
        assert "Sunday" in response.rendered_content
