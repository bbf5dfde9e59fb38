from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_PASSWORD, demo_is_loaded, demo_logins, load_demo


class Command(BaseCommand):
    help = "Load realistic demo data and demo logins (never in production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when demo data is already there."
        )

    def handle(self, *args, if_empty: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data and demo logins are never created in production.")
        if if_empty and demo_is_loaded():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                load_demo()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, roles in demo_logins():
            self.stdout.write(f"  {username:<8} {roles}")
