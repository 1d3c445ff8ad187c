from django.core.management.base import BaseCommand

from core.reference_data import load_all


class Command(BaseCommand):
    help = "Load (or refresh) every app's reference data. Idempotent: run it after every migrate."

    def handle(self, *args, **options):
        loaded = load_all(verbosity=options["verbosity"])
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Reference data loaded for: {', '.join(loaded) or 'nothing'}"))
