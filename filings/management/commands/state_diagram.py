from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from filings.diagram import mermaid


class Command(BaseCommand):
    help = "Write docs/state-machine.md from the order state machine's transitions."

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            text = mermaid()
        path = Path(settings.BASE_DIR) / "docs" / "state-machine.md"
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
