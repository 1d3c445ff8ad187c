"""The tokens of principals' links and app sessions, and the keyed hash of picture codes.

A token is ``<id>.<nonce>:<signature>``: Django's ``Signer`` with a salt per purpose over the row's id and its
random nonce. The database alone cannot make one (the signature needs ``SECRET_KEY``) and a guess cannot either
(the nonce has 128 bits). Expiry is the row's ``expires_at`` on the portal's settable clock; ``TimestampSigner``
would measure real time, which a demo that moves the clock must not.
"""

import hmac
import secrets

from django.core import signing
from django.utils.crypto import salted_hmac

from .constants import PICTURE_CODE_ALPHABET, PICTURE_CODE_LENGTH

LINK_SALT = "filings.photos.principal-link"
APP_SALT = "filings.photos.shanghai-app"
CODE_SALT = "filings.photos.picture-code"


def make_token(row, *, salt: str) -> str:
    return signing.Signer(salt=salt).sign(f"{row.pk}.{row.nonce}")


def read_token(token: str, *, salt: str) -> tuple[int, str] | None:
    """The (id, nonce) a token was made for, or None when it is not one of ours."""
    try:
        value = signing.Signer(salt=salt).unsign(token or "")
    except signing.BadSignature:
        return None
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit() or not nonce:
        return None
    return int(pk), nonce


def nonce_matches(row, nonce: str) -> bool:
    return hmac.compare_digest(row.nonce, nonce)


def new_picture_code() -> str:
    return "".join(secrets.choice(PICTURE_CODE_ALPHABET) for _ in range(PICTURE_CODE_LENGTH))


def normalise_picture_code(code: str) -> str:
    """What people type: spaces and dashes dropped, upper case; O and I read as 0/1 are not in the alphabet."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def picture_code_hash(code: str) -> str:
    return salted_hmac(CODE_SALT, normalise_picture_code(code), algorithm="sha256").hexdigest()
