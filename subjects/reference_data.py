"""Reference data of the subjects app: the number patterns of personal documents without a checksum.

``load()`` inserts the rows whose certificate type is missing and never touches an existing row, so an
administrator's edit (or deactivation) stays. With everything there it costs one query. Sources of the formats:
docs/validation.md, "Personal documents".
"""

from .constants import CertificateType
from .models import CertificatePattern

CERTIFICATE_PATTERNS = (
    {
        # 港澳居民来往内地通行证 (card since 2013): H (Hong Kong) or M (Macao) and 8 digits; the full number adds the
        # two-digit issue count.
        "certificate_type": CertificateType.HK_MACAO_PERMIT,
        "pattern": r"[HM]\d{8}(\d{2})?",
        "example": "H12345678",
    },
    {
        # 台湾居民来往大陆通行证: 8 digits (card since 2015), 10 on the older booklet (8 and the issue count); the
        # 18-character number of the residence permit for Taiwan residents (830000…) is accepted as well.
        "certificate_type": CertificateType.TAIWAN_PERMIT,
        "pattern": r"\d{8}(\d{2})?|830000\d{11}[\dX]",
        "example": "12345678",
    },
    {
        # 护照: Chinese passports E + 8 digits or E + letter + 7 digits (G… on older ones); foreign passports 5 to 17
        # letters and digits. At least one digit.
        "certificate_type": CertificateType.PASSPORT,
        "pattern": r"(?=.*\d)[A-Z0-9]{5,17}",
        "example": "E12345678",
    },
    {
        # 外国人永久居留身份证: 15 characters until 2017 (3-letter nationality, 12 digits), 18 digits starting with
        # 9 since the 2017 card (the 2023 card keeps the length).
        "certificate_type": CertificateType.FOREIGN_PERMANENT_RESIDENCE,
        "pattern": r"[A-Z]{3}\d{12}|9\d{16}[\dX]",
        "example": "911156198001010016",
    },
)


def load() -> str:
    present = set(CertificatePattern.objects.values_list("certificate_type", flat=True))
    missing = [CertificatePattern(**row) for row in CERTIFICATE_PATTERNS if row["certificate_type"] not in present]
    if missing:
        CertificatePattern.objects.bulk_create(missing, ignore_conflicts=True)
    return f"{len(missing)} certificate patterns added"
