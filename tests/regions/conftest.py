import pytest

from regions import selectors


@pytest.fixture
def region(db):
    """A division by code, failing loudly when the reference data lacks it."""

    def get(code: str):
        found = selectors.get_region(code)
        assert found is not None, f"division {code} is not loaded"
        return found

    return get
