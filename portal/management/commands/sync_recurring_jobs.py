from django.core.management.base import BaseCommand

from portal import recurring_jobs


class Command(BaseCommand):
    help = "Bring the background jobs' timetable to portal/recurring_jobs.py (safe to run again)."

    def handle(self, *args, **options):
        for name, done in recurring_jobs.sync().items():
            self.stdout.write(f"{name}: {done}")
