"""Merge translations from JSON files (msgid → msgstr) into the zh_Hans catalogue.

    python scripts/i18n_merge.py var/i18n/*.json

Only empty or fuzzy entries are filled; a translation already in the catalogue wins. Prints what is still missing.
Plural entries take the same translation for every form (Chinese has one plural form).
"""

import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> int:
    mapping: dict[str, str] = {}
    for path in paths:
        mapping.update(json.loads(Path(path).read_text(encoding="utf-8")))
    po = polib.pofile(str(CATALOGUE))
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        done = entry.msgstr or (entry.msgid_plural and entry.msgstr_plural.get(0))
        if done and "fuzzy" not in entry.flags:
            continue
        translation = mapping.get(entry.msgid)
        if not translation:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: translation}
        else:
            entry.msgstr = translation
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save(str(CATALOGUE))
    missing = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    print(f"filled {filled}, still missing {len(missing)}")
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
