"""Runs every area's daily jobs (the `daily_jobs` contributions), from a timer once a
day: `manage.py run_daily`, or `--date 2026-12-01` to run them as on another day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keywork.core.contributions import contributed


class Command(BaseCommand):
    help = "Runs each area's daily jobs, such as reminders of what expires or falls due."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", help="The day to run them as (YYYY-MM-DD); today if not given"
        )

    def handle(self, *args, **options) -> None:
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be a date like 2026-12-01: {error}") from error
        failed = []
        for job in contributed("daily_jobs"):
            name = f"{job.__module__}.{job.__qualname__}"
            try:
                done = job(today)
            except Exception as error:  # one area's failure must not stop the others'
                failed.append(name)
                self.stderr.write(f"{name} failed: {error!r}")
                continue
            self.stdout.write(f"{name}: {done}")
        if failed:
            raise CommandError(f"{len(failed)} daily job(s) failed: {', '.join(failed)}")
