from django.core.management.base import BaseCommand

from core.schedule import install_default_schedule


class Command(BaseCommand):
    help = "Create the default periodic jobs that are missing (leaves edited ones alone)."

    def handle(self, *args, **options):
        created = install_default_schedule()
        self.stdout.write(f"Created {len(created)} periodic job(s).")
        for name in created:
            self.stdout.write(f"  {name}")
