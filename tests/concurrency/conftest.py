import threading

import pytest
from django.db import connection

from tests.filings.conftest import make_order, precheck_passes, valid_uscc  # noqa: F401
from tests.miit.simulator_support import ready  # noqa: F401

from .worker import own_broker  # noqa: F401


@pytest.fixture
def race():
    """``race(*actions)``: run the actions in threads released together by a barrier; returns each one's outcome
    in order — its result, or the exception it raised. Each thread closes its own database connection."""

    def run(*actions):
        barrier = threading.Barrier(len(actions))
        outcomes = [None] * len(actions)

        def one(index, action):
            try:
                barrier.wait()
                outcomes[index] = action()
            except Exception as exc:  # the caller asserts on it
                outcomes[index] = exc
            finally:
                connection.close()

        threads = [threading.Thread(target=one, args=(i, a)) for i, a in enumerate(actions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a racing thread hung (a deadlock?)"
        return outcomes

    return run
