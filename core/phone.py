"""The simulated phone network.

Every SMS that anyone in the system sends — the portal's mobile-verification codes, notifications, the
administration's verification codes — is delivered here, with the sender number the recipient's carrier uses
(RULES.md, SMS verification). The demo phone page reads it back.
"""

import phonenumbers
from phonenumbers import carrier as pn_carrier

from . import clock
from .models import Carrier, PhoneMessage

# The carriers' fixed sender numbers for filing texts (RULES.md). Virtual carriers have none.
SENDER_NUMBERS = {
    Carrier.CHINA_TELECOM: "106598051001",
    Carrier.CHINA_UNICOM: "10655113",
    Carrier.CHINA_MOBILE: "106575000130",
}

# Mobile virtual network operators' number blocks; phonenumbers files them under their host carrier.
_VIRTUAL_PREFIXES = ("162", "165", "167", "170", "171")

_CARRIER_BY_NAME = {
    "China Telecom": Carrier.CHINA_TELECOM,
    "China Unicom": Carrier.CHINA_UNICOM,
    "China Mobile": Carrier.CHINA_MOBILE,
}


def normalise_mobile(number: str) -> str:
    """``+86 138-0013-8000`` → ``13800138000``; raises ValueError for anything that is not a mainland mobile."""
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from None
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise ValueError("not a mainland China number")
    if phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValueError("not a mobile number")
    return str(parsed.national_number)


def carrier_of(mobile: str) -> Carrier:
    national = normalise_mobile(mobile)
    if national.startswith(_VIRTUAL_PREFIXES):
        return Carrier.VIRTUAL
    name = pn_carrier.name_for_number(phonenumbers.parse(national, "CN"), "en")
    return _CARRIER_BY_NAME.get(name, Carrier.UNKNOWN)


def sender_for(mobile: str) -> str:
    return SENDER_NUMBERS.get(carrier_of(mobile), "")


def phone_send(*, to: str, body: str, source: str = "portal") -> PhoneMessage:
    """Deliver one text to ``to`` on the simulated network and return it as stored."""
    national = normalise_mobile(to)
    operator = carrier_of(national)
    return PhoneMessage.objects.create(
        to_number=national,
        sender=SENDER_NUMBERS.get(operator, ""),
        carrier=operator,
        body=body,
        sent_at=clock.now(),
        source=source,
    )


def inbox(mobile: str, *, limit: int = 50):
    """The texts a number received, newest first."""
    return PhoneMessage.objects.filter(to_number=normalise_mobile(mobile))[:limit]
