from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from feedback.services.rounds import open_round_for_month


class Command(BaseCommand):
    help = "Open the feedback round of a month (default: this month); running it twice is safe."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default: the current month")

    def handle(self, *args, month=None, **options):
        try:
            feedback_round, created = open_round_for_month(month=month)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Opened" if created else "Already open or closed:"
        self.stdout.write(
            f"{verb} round {feedback_round.month} "
            f"({feedback_round.memberships.count()} participants)"
        )
