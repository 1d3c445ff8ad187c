import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts import reference_data
from accounts.constants import Role
from accounts.roles import ADMINISTERED_APPS, PROJECT_APPS


def _perms(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def _assert_groups_and_permissions_are_loaded():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}
    every_administered = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(
            content_type__app_label__in=(*PROJECT_APPS, *ADMINISTERED_APPS)
        ).values_list("content_type__app_label", "codename")
    }
    assert "accounts.change_user" in every_administered
    assert _perms(Role.ADMINISTRATOR) == every_administered
    assert _perms(Role.APPLICANT) == set()
    assert "accounts.view_user" in _perms(Role.REVIEWER)
    assert "accounts.change_user" not in _perms(Role.REVIEWER) | _perms(Role.SUPERVISOR)


@pytest.mark.django_db
def test_reference_data_creates_the_four_groups_with_their_permissions():
    _assert_groups_and_permissions_are_loaded()


@pytest.mark.django_db
def test_administrators_may_manage_lockouts_schedules_second_factors_and_users():
    perms = _perms(Role.ADMINISTRATOR)
    for needed in (
        "axes.delete_accessattempt",
        "django_celery_beat.change_periodictask",
        "mfa.delete_authenticator",
        "auth.change_group",
        "accounts.change_user",
    ):
        assert needed in perms


@pytest.mark.django_db(transaction=True)
def test_groups_and_permissions_come_back_after_a_flush_and_reload():
    call_command("flush", interactive=False, verbosity=0)
    assert not Group.objects.exists()
    call_command("load_reference_data", verbosity=0)
    _assert_groups_and_permissions_are_loaded()


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_puts_back_a_removed_permission():
    assert reference_data.load().endswith("0 updated")
    reviewers = Group.objects.get(name=Role.REVIEWER.value)
    reviewers.permissions.clear()
    reviewers.permissions.add(Permission.objects.get(codename="delete_user"))
    assert reference_data.load().endswith("1 updated")
    assert "accounts.view_user" in _perms(Role.REVIEWER)
    assert "accounts.delete_user" not in _perms(Role.REVIEWER)


@pytest.mark.django_db
def test_table_entries_for_models_not_built_yet_are_skipped(monkeypatch):
    monkeypatch.setitem(
        reference_data.ROLE_PERMISSIONS, Role.REVIEWER, ("accounts.view_user", "filings.review_nothing_yet", "nope.*")
    )
    reference_data.load()
    assert _perms(Role.REVIEWER) == {"accounts.view_user"}
