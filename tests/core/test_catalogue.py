"""The zh_Hans catalogue is complete: every source string has a translation, none fuzzy.

The strings are extracted afresh into a temporary copy of the project (so the committed catalogue is compared
with what the code says *now*) and the copy's catalogue is read with polib.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns(
    ".venv", "var", ".git", "node_modules", "__pycache__", "*.mo", ".pytest_cache", "bench", "test-artifacts"
)


@pytest.fixture(scope="module")
def extracted_catalogue(tmp_path_factory) -> polib.POFile:
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext); .ci/run installs it")
    copy = tmp_path_factory.mktemp("catalogue") / "project"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--ignore=tests",
            "--ignore=.venv",
            "--ignore=var",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "icpfiling.settings.test", "PATH": "/usr/bin:/bin"},
    )
    return polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_every_source_string_has_a_chinese_translation(extracted_catalogue):
    missing = [entry.msgid for entry in extracted_catalogue.untranslated_entries()]
    assert not missing, f"{len(missing)} untranslated: {missing[:20]}"


def test_no_translation_is_fuzzy(extracted_catalogue):
    fuzzy = [entry.msgid for entry in extracted_catalogue.fuzzy_entries()]
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_the_catalogue_is_not_empty(extracted_catalogue):
    assert len(extracted_catalogue.translated_entries()) > 50
