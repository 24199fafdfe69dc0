from django.core.management.base import BaseCommand

from demo.pages import seed_pages
from demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, PERSONAS, seed_people
from demo.reviews import seed_reviews


class Command(BaseCommand):
    help = "Seed the fictional Northbridge demo authority. Safe to run again: it changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not list the sign-ins.")

    def handle(self, *args, quiet=False, **options):
        seed_people()
        added = seed_reviews()
        seed_pages()
        if not quiet:
            if added:
                self.stdout.write(f"Added {added} children with plans and reviews at every "
                                  "stage.")
            self.print_sign_ins()

    def print_sign_ins(self):
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        for persona in PERSONAS:
            where = f", {persona.agency}" if persona.agency else ""
            self.stdout.write(f"  {persona.email:36} {persona.who}{where}")
        self.stdout.write(
            "Professionals are asked for a two-step code: with DEMO_MFA_CODE set (make run sets "
            "000000) that code works while DEBUG is on; or add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app."
        )
