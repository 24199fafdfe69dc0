from imports.caseload import import_caseload
from imports.command import ImportCommand
from imports.models import ImportRun


class Command(ImportCommand):
    help = ("Import an authority's caseload (children with plans) from the template's CSV "
            "or an Excel workbook: every row checked first, then the good ones written.")
    kind = ImportRun.Kind.CASELOAD

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--all-or-nothing", action="store_true",
                            help="Write nothing if any row is refused.")

    def run(self, file, authority, *, filename, dry_run, all_or_nothing, **options):
        return import_caseload(file, authority, filename=filename, dry_run=dry_run,
                               all_or_nothing=all_or_nothing)
