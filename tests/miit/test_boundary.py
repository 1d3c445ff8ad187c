"""DESIGN.md's boundary: ``miit`` imports only ``core`` and ``regions``; the portal reaches ``miit`` only through
``filings/gateway.py``."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTAL_APPS = ("accounts", "subjects", "websites", "filings", "reviews", "notifications")


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def sources(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("path", sources("miit"), ids=lambda p: str(p.relative_to(ROOT)))
def test_miit_imports_only_core_and_regions(path):
    assert not imported_apps(path) & set(PORTAL_APPS)


def test_only_the_gateway_imports_miit():
    offenders = [
        str(path.relative_to(ROOT))
        for app in (*PORTAL_APPS, "core", "regions")
        for path in sources(app)
        if "miit" in imported_apps(path) and path != ROOT / "filings" / "gateway.py"
    ]
    assert offenders == []
