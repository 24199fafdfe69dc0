from io import StringIO

import pytest
from django.core.management import call_command

from home.models import InformationPage
from tests.home.guides import GUIDE_SLUGS


@pytest.mark.django_db
def test_the_seed_pages_command_publishes_the_pages_and_says_so():
    out = StringIO()
    call_command("seed_pages", stdout=out)
    assert "/advocacy/: created" in out.getvalue()
    assert InformationPage.objects.live().count() == len(GUIDE_SLUGS)

    out = StringIO()
    call_command("seed_pages", stdout=out)
    assert "/advocacy/: unchanged" in out.getvalue()
