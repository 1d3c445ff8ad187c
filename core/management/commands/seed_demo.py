from django.core.management.base import BaseCommand

from core.demo_data import load_all


class Command(BaseCommand):
    help = "Create the demo accounts and data (idempotent) and print how to sign in."

    def handle(self, *args, **options):
        lines = load_all()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        for line in lines:
            self.stdout.write(line)
