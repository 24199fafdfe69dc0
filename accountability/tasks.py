"""django-q2 entry points. Thin on purpose: the work is in accountability/exports.py and
accountability/sen2.py, which tests call directly."""

from django.utils import timezone

from accountability.exports import delete_expired, run_job


def run_export(job_id: str) -> str:
    """Queued after the request that asked for the export commits."""
    return run_job(job_id)


def delete_expired_exports() -> int:
    """The hourly retention job (its schedule is made by migration 0002)."""
    return delete_expired(timezone.now())
