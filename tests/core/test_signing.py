import pytest

from core import signing

SECRET = "s3cret-shared-with-the-administration"
BODY = b'{"event_id": "evt_1", "type": "approved"}'


def test_signature_made_with_the_secret_verifies():
    header = signing.sign(secret=SECRET, body=BODY, timestamp=1_700_000_000)
    assert signing.verify(secret=SECRET, body=BODY, header=header, now=1_700_000_010) == 1_700_000_000


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [
        ("another-secret", BODY, 1_700_000_010),
        (SECRET, BODY + b" ", 1_700_000_010),
        (SECRET, BODY, 1_700_000_000 + 301),
    ],
    ids=["wrong-secret", "tampered-body", "replayed-too-late"],
)
def test_signature_is_refused_when_secret_body_or_time_do_not_match(secret, body, now):
    header = signing.sign(secret=SECRET, body=BODY, timestamp=1_700_000_000)
    with pytest.raises(signing.SignatureError):
        signing.verify(secret=secret, body=body, header=header, now=now)


@pytest.mark.parametrize("header", [None, "", "v1=abc", "t=notanumber,v1=abc", "t=1700000000"])
def test_missing_or_malformed_signature_is_refused(header):
    with pytest.raises(signing.SignatureError):
        signing.verify(secret=SECRET, body=BODY, header=header, now=1_700_000_000)


def test_signing_without_a_secret_is_refused():
    with pytest.raises(signing.SignatureError):
        signing.sign(secret="", body=BODY)
