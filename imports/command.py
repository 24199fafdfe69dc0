"""What the two import commands share: the file and the authority they name, the dry run,
the report printed (and written as CSV if asked), and the run kept on record."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import LocalAuthority
from imports.reading import FileRefused
from imports.report import CSV_HEADER, Report
from imports.runs import remember


class ImportCommand(BaseCommand):
    kind: str  # an ImportRun.Kind

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file or Excel workbook (.xlsx).")
        parser.add_argument("--authority", required=True, metavar="LA_NUMBER",
                            help="The authority's three-digit DfE number, for example 919.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check every row and say what would change; write nothing.")
        parser.add_argument("--report", metavar="CSV",
                            help="Also write the report, a line per row and problem, here.")

    def run(self, file, authority, *, filename: str, **options) -> Report:
        raise NotImplementedError

    def handle(self, *args, file, authority, dry_run, report, verbosity, **options):
        found = LocalAuthority.objects.filter(dfe_code=authority).first()
        if found is None:
            raise CommandError(f"No local authority has the DfE number {authority}: add it "
                               "in the admin first (Settings, Local authorities).")
        path = Path(file)
        try:
            with path.open("rb") as opened:
                result = self.run(opened, found, filename=path.name, dry_run=dry_run,
                                  **options)
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {file}.") from error
        except FileRefused as refused:
            raise CommandError(f"{path.name} was refused, and nothing was written: "
                               f"{refused}") from refused
        if not dry_run:
            remember(result, found, self.kind)
        for line in result.lines(every_row=verbosity >= 2):
            self.stdout.write(line)
        if report:
            with open(report, "w", newline="", encoding="utf-8-sig") as out:
                writer = csv.writer(out)
                writer.writerow(CSV_HEADER)
                writer.writerows(result.csv_rows())
        if not (dry_run or result.written):
            raise CommandError("Nothing was imported: fix the rows above, or import without "
                               "--all-or-nothing to import the others.")

