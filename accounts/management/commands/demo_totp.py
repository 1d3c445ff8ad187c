from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.totp import totp_code, totp_seconds_left, totp_secret_of


class Command(BaseCommand):
    help = "Print the current six-digit second-factor code of a demo account. Demo mode only (DEMO_MODE)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the account, e.g. reviewer@example.com")

    def handle(self, *args, email, **options):
        if not settings.DEMO_MODE:
            raise CommandError("demo_totp works only in demo mode (DEMO_MODE=True): real codes come from a phone.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        secret = totp_secret_of(user=user)
        if secret is None:
            raise CommandError(f"{user.email} has no authenticator app.")
        self.stdout.write(totp_code(secret))
        self.stderr.write(f"valid for another {totp_seconds_left()} s; a code works once.")
