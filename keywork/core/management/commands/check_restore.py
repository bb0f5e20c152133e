from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keywork.core.restore_check import Counts, problems


class Command(BaseCommand):
    help = (
        "Checks that the database and KEYWORK_PRIVATE_DIR belong together (after a "
        "restore): every attachment and import has its file, unchanged, and every file "
        "there has its row. Exits with 1 if anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes-only",
            action="store_true",
            help="Compare sizes, not checksums (quicker: reads no file's content)",
        )

    def handle(self, *args, sizes_only: bool, **options):
        private_dir = Path(settings.KEYWORK_PRIVATE_DIR)
        counts = Counts()
        found = 0
        for problem in problems(private_dir, counts, checksums=not sizes_only):
            found += 1
            self.stdout.write(problem)
        summary = f"{counts.rows} rows name a file; {counts.files} files are in {private_dir}."
        if found:
            raise CommandError(f"{summary} {found} problems (listed above).")
        checked = "sizes" if sizes_only else "sizes and checksums"
        self.stdout.write(
            f"{summary} Every row has its file ({checked} match) and every file its row."
        )
