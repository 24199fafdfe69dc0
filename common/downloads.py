"""Every download of a child's data (a file, an export, the SEN2 return) goes out the same
way: saved, never shown inline where a crafted file could run in the portal's origin, with
the type it was checked as, under a name that carries nothing but letters, digits and
dashes, and kept by neither the browser nor any cache on the way (a shared computer in a
school office, a proxy)."""

import re
import unicodedata

from django.http import FileResponse

NAME_LENGTH = 60


def private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def file_download(file, filename: str, content_type: str) -> FileResponse:
    """`file` saved as `filename`, sent as `content_type` (never guessed from the name)."""
    return private(FileResponse(file, as_attachment=True, filename=filename,
                                content_type=content_type))


def safe_filename(name: str, extension: str, fallback: str = "file") -> str:
    """`name` without its own extension, as letters, digits and dashes (accents dropped, at
    most NAME_LENGTH), then `extension`: what it was called says nothing about what it is."""
    stem = name.rsplit(".", 1)[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-")[:NAME_LENGTH].strip("-")
    return f"{words or fallback}.{extension}"
