"""What each role may do: one declarative table, applied to the groups by ``accounts.reference_data``.

Each entry is ``"app_label.codename"``, or a pattern on the codename (``"app_label.*"``, ``"app_label.view_*"``).
Permissions whose model does not exist yet are skipped, so later work only has to add lines here. The table is the
source of truth: loading reference data sets each group's permissions to exactly what it lists.
"""

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
