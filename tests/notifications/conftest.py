import pytest
from django.conf import settings
from django.test import override_settings

from tests.filings.conftest import applicant, make_order, precheck_passes, reviewer, valid_uscc  # noqa: F401


@pytest.fixture
def sms_gateway():
    """``sms_gateway("tests.notifications.gateways.Broken")``: deliver texts through another gateway for a test."""
    overrides = []

    def use(path: str):
        override = override_settings(NOTIFICATIONS={**settings.NOTIFICATIONS, "SMS_GATEWAY": path})
        override.enable()
        overrides.append(override)

    yield use
    for override in reversed(overrides):
        override.disable()


from tests.concurrency.worker import own_broker  # noqa: E402,F401  (a fixture shared with the reliability suite)
