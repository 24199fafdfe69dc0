from django.core.management.base import BaseCommand

from demo.pages import seed_pages


class Command(BaseCommand):
    help = "Publish the home page and the guides for families (safe to run again)."

    def handle(self, *args, **options):
        for url, done in seed_pages().items():
            self.stdout.write(f"{url}: {done}")
