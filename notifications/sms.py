"""SMS gateways. The portal talks to one interface; the simulated gateway delivers on the phone network in ``core``
(where the demo phone reads it), with the sender number of the recipient's carrier. A real gateway is a class with
the same ``send`` named in ``NOTIFICATIONS["SMS_GATEWAY"]``."""

from django.utils.module_loading import import_string

from core import phone

from . import conf


class PermanentDeliveryError(Exception):
    """Sending can never succeed (an address that is not one): the message fails without further attempts."""


class SmsGateway:
    def send(self, *, to: str, body: str, reference: str) -> str:
        """Send one text; return the gateway's id for it. ``reference`` is ours (the outbox row), for its logs.

        Raise PermanentDeliveryError for a number that cannot receive texts, anything else for a passing problem.
        """
        raise NotImplementedError


class PhoneNetworkGateway(SmsGateway):
    """The simulated network: the carrier's fixed sender number is chosen by ``core.phone`` (RULES.md)."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        try:
            message = phone.phone_send(to=to, body=body, source="notifications")
        except ValueError as exc:
            raise PermanentDeliveryError(str(exc)) from None
        return f"phone:{message.pk}"


def get_gateway() -> SmsGateway:
    return import_string(conf.get("SMS_GATEWAY"))()
