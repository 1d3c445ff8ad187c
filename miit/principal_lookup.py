"""Which filings name a person as principal (负责人) — the registry's side of the portal's "which filings use my ID?".

A read of the registry, answered through the signed API (``api/principals/lookup/``) like every other lookup. The
administration answers only when the name given is the name on record for that document somewhere in the registry:
a wrong name learns nothing, not even whether the document is on record. With a match it answers the mobiles on
record for that name and document (the portal proves control of one with an SMS code before it shows anything) and
every active subject and website that names the document as principal — whatever name those records carry, since a
record made with someone's ID under another name is exactly the misuse to find. Only active records are in the
registry (docs/administration.md).
"""

import re
import unicodedata

from django.db.models import Q

from .constants import PERSONAL_CERTIFICATE_TYPES, RegistryStatus
from .models import RegistrySubject, RegistryWebsite
from .selectors import normalise_certificate_number


def _normalise_name(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _same_type(field: str, certificate_type: str) -> Q:
    # Older records may lack the principal's document type: the number alone identifies them.
    return Q(**{field: certificate_type}) | Q(**{field: ""})


def principal_lookup(*, name: str, certificate_type: str, certificate_number: str) -> dict:
    """``{"matched", "mobiles", "records"}``; with no match, the two lists are empty."""
    number = normalise_certificate_number(certificate_number)
    nothing = {"matched": False, "mobiles": [], "records": []}
    if not number:
        return nothing
    subject_filter = Q(principal_certificate_number=number) & _same_type("principal_certificate_type", certificate_type)
    if certificate_type in PERSONAL_CERTIFICATE_TYPES:
        # A personal subject is the person: its own document counts as well.
        subject_filter |= Q(certificate_number=number, certificate_type=certificate_type)
    subjects = list(RegistrySubject.objects.filter(subject_filter, status=RegistryStatus.ACTIVE).order_by("icp_number"))
    websites = list(
        RegistryWebsite.objects.filter(
            Q(principal_certificate_number=number) & _same_type("principal_certificate_type", certificate_type),
            status=RegistryStatus.ACTIVE,
            subject__status=RegistryStatus.ACTIVE,
        )
        .select_related("subject")
        .order_by("icp_number")
    )
    wanted = _normalise_name(name)
    mobiles, matched = [], False
    for record in [*subjects, *websites]:
        names = {_normalise_name(record.principal_name)}
        if isinstance(record, RegistrySubject) and record.certificate_number == number:
            names.add(_normalise_name(record.name))
        if wanted and wanted in names:
            matched = True
            if record.principal_mobile and record.principal_mobile not in mobiles:
                mobiles.append(record.principal_mobile)
    if not matched:
        return nothing
    records = [
        {
            "kind": "subject",
            "name": subject.name,
            "icp_number": subject.icp_number,
            "subject_name": subject.name,
            "province_code": subject.province_id,
            "access_provider": "",
            "filed_on": subject.filed_on.isoformat() if subject.filed_on else None,
        }
        for subject in subjects
    ] + [
        {
            "kind": "website",
            "name": website.name,
            "icp_number": website.icp_number,
            "subject_name": website.subject.name,
            "province_code": website.subject.province_id,
            "access_provider": website.access_provider,
            "filed_on": website.filed_on.isoformat() if website.filed_on else None,
        }
        for website in websites
    ]
    return {"matched": True, "mobiles": mobiles, "records": records}
