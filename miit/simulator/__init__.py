"""The simulated administration at work: it receives forwarded orders, sends SMS verification codes, reviews on a
settable clock, writes its registry, issues numbers and reports every result to the portal by signed callbacks.

``models`` (settings, SMS rules, verification records, outbound callbacks), ``timing`` (how long things take),
``sms`` (codes, the provincial page's checks, the window), ``review`` (the decision and the registry writes),
``callbacks`` (outbound events, their delivery and retries) and ``processing`` (a submission's steps, sweeps and
failures). docs/administration.md describes the whole.
"""
