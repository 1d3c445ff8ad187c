"""An SMS gateway for the killed-worker tests: the first send of a message stops inside the gateway — where a real
gateway would wait on the network — and says so in a file the test watches; every later send goes through."""

import os
import time
from pathlib import Path

from notifications.sms import PhoneNetworkGateway


class StallOnce(PhoneNetworkGateway):
    """``STALL_FOLDER`` (environment): where ``stalled-<reference>`` appears, holding the stalled process's id."""

    def send(self, *, to, body, reference):
        marker = Path(os.environ["STALL_FOLDER"]) / f"stalled-{reference}"
        try:
            with open(marker, "x") as handle:  # only the first caller creates it
                handle.write(str(os.getpid()))
        except FileExistsError:
            return super().send(to=to, body=body, reference=reference)
        time.sleep(600)  # killed here
        raise RuntimeError("a stalled send was not killed")
