"""Groups and their permissions, from the table in ``accounts.roles``. Idempotent; cheap when nothing changed."""

from fnmatch import fnmatchcase

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from .constants import Role
from .roles import ROLE_PERMISSIONS


def _ensure_permission_rows() -> None:
    # migrate and flush create them (post_migrate); a flush that skipped that signal leaves the table empty.
    if not Permission.objects.exists():
        for config in apps.get_app_configs():
            create_permissions(config, verbosity=0)


def permissions_for(patterns, available: dict[str, list[tuple[str, int]]]) -> set[int]:
    """Ids of the permissions matching ``patterns``; ``available`` maps app label → [(codename, id)]."""
    ids = set()
    for pattern in patterns:
        app_label, _dot, codename_pattern = pattern.partition(".")
        for codename, pk in available.get(app_label, ()):
            if fnmatchcase(codename, codename_pattern):
                ids.add(pk)
    return ids


def load() -> str:
    _ensure_permission_rows()
    available: dict[str, list[tuple[str, int]]] = {}
    for app_label, codename, pk in Permission.objects.values_list("content_type__app_label", "codename", "pk"):
        available.setdefault(app_label, []).append((codename, pk))

    changed = 0
    for role in Role:
        group, created = Group.objects.get_or_create(name=role.value)
        wanted = permissions_for(ROLE_PERMISSIONS.get(role, ()), available)
        current = set() if created else set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
            changed += 1
    return f"{len(Role)} groups, {changed} updated"
