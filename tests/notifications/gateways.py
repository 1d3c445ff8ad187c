"""SMS gateways for tests: one that is down, one that is slow (to widen a race)."""

import threading
import time

from notifications.sms import PhoneNetworkGateway, SmsGateway


class Broken(SmsGateway):
    def send(self, *, to, body, reference):
        raise ConnectionError("gateway unreachable")


class Slow(PhoneNetworkGateway):
    calls = 0
    _lock = threading.Lock()

    def send(self, *, to, body, reference):
        with Slow._lock:
            Slow.calls += 1
        time.sleep(0.3)
        return super().send(to=to, body=body, reference=reference)
