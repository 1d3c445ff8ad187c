import pytest

from tests.filings.conftest import make_order, precheck_passes, valid_uscc  # noqa: F401
from tests.filings.hostile.storage import use_private_storage
from tests.miit.simulator_support import administration, ready  # noqa: F401


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploads of this suite go to the test's own folder, so "nothing was stored" can be checked exactly."""
    return use_private_storage(settings, tmp_path / "private")
