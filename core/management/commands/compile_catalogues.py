from django.core.management.base import BaseCommand

from core.i18n import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files with polib (no GNU gettext needed)."

    def handle(self, *args, **options):
        written = compile_catalogues()
        self.stdout.write(f"Compiled {len(written)} catalogue(s).")
