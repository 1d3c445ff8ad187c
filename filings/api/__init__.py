"""The filing orders' REST API (docs/api.md): the applicant's orders with their applications, materials, actions and
history, the filing-type check, the pre-check of an application nobody has saved, and the public ICP query.

Reads go through ``filings.selectors`` (every applicant query starts from the caller: another account's order is a
404); writes through ``filings.services`` and ``filings.materials``. ``urls`` lists the endpoints.
"""

from . import errors  # noqa: F401  (registers how the domain's errors are answered)
