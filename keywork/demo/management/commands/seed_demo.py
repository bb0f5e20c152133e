from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keywork.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Builds the two demo organisations (invented people only). Not in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run in production.")
        sign_ins = seed_demo()
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        organisation = None
        for org_name, role, email in sign_ins:
            if org_name != organisation:
                organisation = org_name
                self.stdout.write(f"\n  {org_name}")
            self.stdout.write(f"    {role:<22} {email}")
        self.stdout.write(
            "\nTwo-factor code for any demo user: .venv/bin/python manage.py demo_code EMAIL\n"
        )
