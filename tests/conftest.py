import pytest
from django.core.cache import cache
from django.core.management import call_command


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL (row locks, skip_locked, concurrent transitions) skip on SQLite."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (as .ci/run does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data (groups, regions, province rules…) is there for every test, as after `make run`."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code the tests call directly (services, validators) speaks English, so assertions on messages read the
    source strings; pages still come in Chinese by default, as the middleware decides per request."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool({"transactional_db", "live_server"} & fixtures or (marker and marker.kwargs.get("transaction")))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush, which also empties the reference data: load it again once every
    fixture (the flush included) has been torn down."""
    result = yield
    if _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            call_command("load_reference_data", verbosity=0)
        cache.clear()
    return result


@pytest.fixture
def clock(db):
    """The settable clock (core.clock), back to real time after the test."""
    from core import clock as portal_clock

    yield portal_clock
    portal_clock.reset()


@pytest.fixture
def admin_client(client, admin_user):
    """Staff pass the second factor in the portal; pytest-django's plain force_login would be sent to TOTP set-up."""
    from accounts.testing import force_login_with_second_factor

    force_login_with_second_factor(client, admin_user)
    return client
