"""What each role may do: one declarative table, applied to the groups by ``accounts.reference_data``; and who has
which role, cached per user (below).

Each entry is ``"app_label.codename"``, or a pattern on the codename (``"app_label.*"``, ``"app_label.view_*"``).
Permissions whose model does not exist yet are skipped, so later work only has to add lines here. The table is the
source of truth: loading reference data sets each group's permissions to exactly what it lists.
"""

from django.core.cache import cache

from core.caching import forget

from .constants import Role

# The project's own apps (DESIGN.md), in import order.
PROJECT_APPS = ("core", "accounts", "regions", "subjects", "websites", "filings", "reviews", "notifications", "miit")

# Third-party apps an administrator manages in the Django admin: users and groups, e-mail addresses, sign-in
# lock-outs, schedules, second factors.
ADMINISTERED_APPS = ("auth", "account", "axes", "django_celery_beat", "mfa")

ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    # Applicants own their data; every applicant query starts from the user, not from a permission.
    Role.APPLICANT: (),
    Role.REVIEWER: (
        "accounts.view_user",
        "regions.view_*",
        # The back office (reviews/): the catalogue and the records its pages write through its services.
        "reviews.view_*",
        "reviews.add_claim",
        "reviews.add_callattempt",
        "reviews.add_decision",
    ),
    Role.SUPERVISOR: (
        "accounts.view_user",
        "regions.view_*",
        "reviews.view_*",
        "reviews.add_claim",
        "reviews.change_claim",
        "reviews.add_callattempt",
        "reviews.add_decision",
    ),
    Role.ADMINISTRATOR: tuple(f"{app}.*" for app in (*PROJECT_APPS, *ADMINISTERED_APPS)),
}


# --- Who has which role: read on every signed-in request, so kept in the cache -----------------------------------

# A backstop only: every change of membership forgets the entry at once (accounts.signals). The minute bounds the
# one race left, a request that read the old roles just before a change committed and stores them just after.
ROLE_CACHE_SECONDS = 60


def _role_cache_key(user_id: int) -> str:
    return f"accounts:roles:{user_id}"


def role_names_of(user) -> frozenset[str]:
    """The names of ``user``'s groups: one cache read, the database only when the entry is missing."""
    names = cache.get_or_set(
        _role_cache_key(user.pk), lambda: sorted(user.groups.values_list("name", flat=True)), ROLE_CACHE_SECONDS
    )
    return frozenset(names)


def role_names_forget(user_ids, *, after_commit: bool = True) -> None:
    """Drop the cached roles of ``user_ids`` now and, unless told otherwise, again after the transaction commits."""
    forget((_role_cache_key(pk) for pk in user_ids), after_commit=after_commit)
