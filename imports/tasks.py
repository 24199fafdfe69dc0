"""django-q2 entry points. Thin on purpose: the work is in imports/runs.py, which tests
call directly."""

from django.utils import timezone

from imports import runs


def check_run(run_id: str) -> str:
    """Queued after the request that uploaded a large file commits."""
    return runs.check(run_id)


def import_run(run_id: str) -> str:
    """Queued after the request that confirmed a large import commits."""
    return runs.apply(run_id)


def forget_abandoned_imports() -> int:
    """Hourly (portal/recurring_jobs.py)."""
    return runs.forget_abandoned(timezone.now())
