"""Photo verification (核验), the applicant's side: the official backdrop (幕布) bought and shipped, or one the
applicant already has; photo uploads with pre-checks; expiring links for principals without an account; and the
Shanghai administration's app, simulated. See docs/photos.md.

The models live in ``models.py`` and are imported by ``filings/models.py`` so that Django finds them; the views are
``filings/views/photos.py``.
"""
