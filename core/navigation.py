"""The header navigation: which links each kind of user sees. Later apps add their entries here."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role

ANONYMOUS = "anonymous"
APPLICANT = Role.APPLICANT.value
REVIEWER = Role.REVIEWER.value
SUPERVISOR = Role.SUPERVISOR.value
ADMINISTRATOR = Role.ADMINISTRATOR.value


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    audiences: tuple[str, ...]


NAV_ITEMS = (
    NavItem(_("Home"), "home", (ANONYMOUS, APPLICANT, REVIEWER, SUPERVISOR, ADMINISTRATOR)),
    NavItem(_("Start filing"), "filings:start", (APPLICANT,)),
    NavItem(_("My ICP filings"), "filings:records", (APPLICANT,)),
    NavItem(_("My orders"), "filings:order_list", (APPLICANT,)),
    NavItem(_("Cloud instances"), "websites:instance_list", (APPLICANT,)),
    NavItem(_("ICP No. Management"), "websites:service_number_list", (APPLICANT,)),
    NavItem(_("Review queues"), "reviews:queues", (REVIEWER, SUPERVISOR)),
    NavItem(_("Dashboard"), "reviews:dashboard", (SUPERVISOR,)),
    NavItem(pgettext_lazy("navigation", "Admin site"), "admin:index", (ADMINISTRATOR,)),
    NavItem(_("Public query"), "miit:public_query", (ANONYMOUS, APPLICANT)),
    NavItem(_("Demo phone"), "core:demo_phone", (ANONYMOUS, APPLICANT, REVIEWER, SUPERVISOR, ADMINISTRATOR)),
)


def audiences_of(user) -> set[str]:
    if not user.is_authenticated:
        return {ANONYMOUS}
    roles = set(user.role_names)
    if user.is_superuser:
        roles.add(ADMINISTRATOR)
    # An account with no staff role is an applicant.
    if not roles & {REVIEWER, SUPERVISOR, ADMINISTRATOR}:
        roles.add(APPLICANT)
    return roles


def nav_for(user, *, demo_mode: bool) -> tuple[dict, ...]:
    return _nav(frozenset(audiences_of(user)), demo_mode, _urls())


def nav_html(user, *, demo_mode: bool, current: str) -> str:
    """The header's ``<ul>`` of links for ``user`` on the page named ``current``: the same few hundred characters
    for everyone with the same roles in the same language, so rendered once per process and reused (it was a fifth
    of the layout's rendering; docs/performance.md, fix 14)."""
    return _nav_html(frozenset(audiences_of(user)), demo_mode, _urls(), current, get_language())


def _urls() -> tuple[str, str]:
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=1024)
def _nav_html(audiences: frozenset[str], demo_mode: bool, urls, current: str, language: str) -> str:
    items = _nav(audiences, demo_mode, urls)
    return render_to_string("includes/main_nav.html", {"nav_items": items, "current_url_name": current})


# A handful of audience sets, two modes and one URL configuration: the links are reversed once per process, not on
# every page (each reverse() costs tens of microseconds). The labels stay lazy: translated when the page renders.
@lru_cache(maxsize=64)
def _nav(audiences: frozenset[str], demo_mode: bool, urls: tuple[str, str]) -> tuple[dict, ...]:
    items = []
    for item in NAV_ITEMS:
        if not audiences & set(item.audiences):
            continue
        if item.url_name == "core:demo_phone" and not demo_mode:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # the page belongs to a part that is not built yet
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return tuple(items)
