"""The applicant-facing forms, one module per part."""
