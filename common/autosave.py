"""Saving a form as it is typed, so that a time-out, a refresh or a dropped connection loses
nothing: static/portal/autosave.js posts a form marked data-autosave, with action=autosave,
to the view that shows it, now and then while it is typed into. The view saves a draft, as
its "Save and come back later" would, without the checks of going on, and answers without a
page: 204 when saved, or an error the page shows beside the form."""

from django.http import HttpResponse, JsonResponse

ACTION = "autosave"


def requested(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == ACTION


def saved() -> HttpResponse:
    return HttpResponse(status=204)


def not_saved(message: str, status: int = 422) -> JsonResponse:
    """Not saved: the form's own error (text over its limit), or 409 when the draft can no
    longer be changed (sent, or the meeting has started)."""
    return JsonResponse({"error": message}, status=status)


def first_error(form) -> str:
    return next(iter(form.errors.values()))[0]
