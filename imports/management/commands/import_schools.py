from django.core.management.base import CommandError

from imports.command import ImportCommand
from imports.models import ImportRun
from imports.reading import FileRefused
from imports.schools import import_schools, placements


class Command(ImportCommand):
    help = ("Import an authority's schools and colleges from the DfE's register (Get "
            "Information about Schools), its establishment CSV as published.")
    kind = ImportRun.Kind.SCHOOLS

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--placements", metavar="CASELOAD_FILE",
            help="Also import the establishments, in any authority, that this caseload "
                 "file names (its setting_urn column): children placed out of the area.")

    def run(self, file, authority, *, filename, dry_run, **options):
        return import_schools(file, authority, filename=filename, dry_run=dry_run,
                              also_urns=self.placed(options.get("placements")))

    def placed(self, path) -> set[str]:
        if not path:
            return set()
        try:
            with open(path, "rb") as file:
                return placements(file)
        except (OSError, FileRefused) as error:
            raise CommandError(f"The placements file {path} cannot be read: {error}") from error
