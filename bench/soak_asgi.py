"""The portal as production serves it, plus the soak's floor view (bench/floor.py) at
/bench-floor/: the floor must go through the same server, proxy and middleware in the same
run. Served only by bench/soak.py; never deployed.

    daphne -b 127.0.0.1 -p 9100 bench.soak_asgi:application
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.floor"  # the portal's URLs and the floor, before any request

from portal.asgi import application  # noqa: E402, F401
