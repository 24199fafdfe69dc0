"""Checking uploaded files by what they contain, not by what they are called."""

import io
import zipfile

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from common.downloads import safe_filename

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
JPEG = "image/jpeg"
PNG = "image/png"
MP3 = "audio/mpeg"
M4A = "audio/mp4"
WAV = "audio/wav"
MP4 = "video/mp4"

# What each kind of upload accepts, and how to say so to the person uploading.
DOCUMENTS = {PDF: "PDF", DOCX: "Word", DOC: "Word", JPEG: "JPEG", PNG: "PNG"}
PICTURES_AND_RECORDINGS = {JPEG: "photo (JPEG)", PNG: "picture (PNG)", MP3: "recording (MP3)",
                           M4A: "recording (M4A)", WAV: "recording (WAV)", MP4: "video (MP4)",
                           PDF: "PDF"}

# The extension a download of each type is saved with, whatever it was uploaded as.
EXTENSIONS = {PDF: "pdf", DOCX: "docx", DOC: "doc", JPEG: "jpg", PNG: "png", MP3: "mp3",
              M4A: "m4a", WAV: "wav", MP4: "mp4"}

_ALIASES = {"audio/x-m4a": M4A, "audio/m4a": M4A, "audio/x-wav": WAV, "audio/wave": WAV,
            "audio/mp3": MP3, "image/jpg": JPEG, "application/x-msword": DOC,
            "application/vnd.ms-word": DOC}


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


def download_name(name: str, content_type: str) -> str:
    """What a file uploaded as `name` and checked as `content_type` is saved as: a PNG
    uploaded as "poly.html" downloads as "poly.png"."""
    return safe_filename(name, EXTENSIONS[content_type])


def _head(uploaded) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    return head


def _is_word_package(uploaded) -> bool:
    # Word, Excel and PowerPoint files are all zip packages with the same signature; only
    # their contents tell them apart.
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(uploaded.read())) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        uploaded.seek(0)


def detected_type(uploaded) -> str | None:
    try:
        matches = puremagic.magic_string(_head(uploaded))
    except puremagic.PureError:
        return None
    for match in matches:
        mime = _ALIASES.get(match.mime_type, match.mime_type)
        if match.extension in (".docx", ".xlsx", ".pptx") or mime == "application/zip":
            return DOCX if _is_word_package(uploaded) else "application/zip"
        if mime:
            return mime
    return None


def check_upload(uploaded, allowed: dict[str, str]) -> str:
    """The file's real content type, or a ValidationError that says what to do."""
    kinds = ", ".join(sorted(set(allowed.values())))
    limit = max_upload_bytes()
    if uploaded.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if uploaded.size > limit:
        raise ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}",
                              code="too_big")
    mime = detected_type(uploaded)
    if mime not in allowed:
        raise ValidationError(f"The selected file must be a {kinds}", code="wrong_type")
    return mime
