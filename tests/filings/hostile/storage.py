"""Point the private storage at a folder of the test's own, so "nothing was stored" can be checked exactly."""

from pathlib import Path


def use_private_storage(settings, root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())
