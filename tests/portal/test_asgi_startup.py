"""The ASGI server starts ready: its URLconf (and every view) loaded before the first request,
and all that start-up made frozen, out of the garbage collector's full collections (the
dashboards' slow tail, bench/README.md)."""

import json
import subprocess
import sys

PROBE = """
import gc, json, sys
import portal.asgi
print(json.dumps({"frozen": gc.get_freeze_count(),
                  "views": "accountability.views" in sys.modules}))
"""


def test_the_server_starts_with_its_views_loaded_and_its_objects_frozen():
    # A process of its own: this one has imported and frozen whatever other tests did.
    found = json.loads(subprocess.run([sys.executable, "-c", PROBE], capture_output=True,
                                      text=True, check=True).stdout.splitlines()[-1])
    assert found["views"], "the URLconf was left to the first request"
    assert found["frozen"] > 100_000
