"""Every message of the validation packages has its Chinese translation in var/i18n/validation.json (the hand-off
to the zh_Hans catalogue), with the same placeholders."""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (ROOT / "subjects" / "validation", ROOT / "websites" / "validation")
TRANSLATIONS = ROOT / "var" / "i18n" / "validation.json"


def source_messages() -> list[str]:
    messages = []
    for package in PACKAGES:
        for path in sorted(package.glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args:
                    assert isinstance(node.args[0], ast.Constant), f"{path.name}: a message must be a literal"
                    messages.append(node.args[0].value)
    return messages


@pytest.fixture(scope="module")
def translations() -> dict[str, str]:
    if not TRANSLATIONS.exists():
        pytest.skip("var/i18n/validation.json is not in this checkout")
    return json.loads(TRANSLATIONS.read_text(encoding="utf-8"))


def test_the_packages_have_messages():
    assert len(source_messages()) > 50


def test_every_message_has_a_chinese_translation(translations):
    missing = [message for message in source_messages() if not translations.get(message)]
    assert not missing, missing


def test_every_translation_keeps_the_placeholders(translations):
    placeholder = re.compile(r"%\(\w+\)s")
    different = [
        message
        for message in source_messages()
        if sorted(placeholder.findall(message)) != sorted(placeholder.findall(translations.get(message, message)))
    ]
    assert not different, different
