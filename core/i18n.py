"""Compiling the translation catalogues without GNU gettext (polib), so `make run` needs no system package."""

from pathlib import Path

import polib
from django.conf import settings


def compile_catalogues() -> list[Path]:
    """Write a .mo beside every .po under LOCALE_PATHS whose .mo is missing or older. Returns what was written."""
    written = []
    for root in settings.LOCALE_PATHS:
        for po_path in Path(root).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written
