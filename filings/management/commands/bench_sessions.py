"""``bench_sessions``: signed-in sessions for a load generator, one per user, printed as JSON.

    manage.py bench_sessions --users 12,13,14 [--second-factor]
    manage.py bench_sessions --email-prefix reviewer --limit 500 --second-factor

Each session is made the way the test suite signs people in (``accounts.testing.force_login_with_second_factor``):
a real ``login()`` through the authentication backends, and for staff the session mark of a passed second factor,
so the load generator sends the cookie a browser would have after signing in. Output: ``{"<user id>": "<session
key>", …}``. For benchmarks only (bench/README.md): whoever holds the output is signed in as those users.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from accounts.testing import force_login_with_second_factor


class Command(BaseCommand):
    help = "Sign users in and print their session keys as JSON (for load tests)."

    def add_arguments(self, parser):
        parser.add_argument("--users", default="", help="Comma-separated user ids.")
        parser.add_argument("--email-prefix", default="", help="Users whose e-mail address starts with this.")
        parser.add_argument("--limit", type=int, default=1000)
        parser.add_argument("--second-factor", action="store_true", help="Mark the sessions as past the second factor.")
        parser.add_argument("--output", help="Write the JSON here instead of standard output.")

    def handle(self, *args, **options):
        User = get_user_model()
        users = User.objects.filter(is_active=True).order_by("pk")
        if options["users"]:
            users = users.filter(pk__in=[int(pk) for pk in options["users"].split(",") if pk])
        elif options["email_prefix"]:
            users = users.filter(email__startswith=options["email_prefix"])
        else:
            raise CommandError("Give --users or --email-prefix.")
        sessions = {}
        for user in users[: options["limit"]]:
            client = Client()
            if options["second_factor"]:
                force_login_with_second_factor(client, user)
            else:
                client.force_login(user)
            sessions[str(user.pk)] = client.session.session_key
        text = json.dumps(sessions)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text)
        else:
            self.stdout.write(text)
