import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.uploads import (
    DOCUMENTS,
    DOCX,
    EXTENSIONS,
    PDF,
    PICTURES_AND_RECORDINGS,
    check_upload,
)

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


def office_package(inner: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(inner, "<x/>")
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_a_real_pdf_and_word_document_are_accepted():
    assert check_upload(upload("report.pdf", PDF_BYTES), DOCUMENTS) == PDF
    assert check_upload(upload("report.docx", office_package("word/document.xml")),
                        DOCUMENTS) == DOCX


def test_a_program_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError, match="must be a JPEG, PDF, PNG, Word"):
        check_upload(upload("report.pdf", b"MZ\x90\x00" + b"\x00" * 60), DOCUMENTS)


def test_a_spreadsheet_renamed_to_docx_is_refused():
    with pytest.raises(ValidationError):
        check_upload(upload("report.docx", office_package("xl/workbook.xml")), DOCUMENTS)


def test_plain_text_is_refused_with_what_to_upload_instead():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("notes.pdf", b"just some words"), DOCUMENTS)
    assert error.value.code == "wrong_type"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_upload(upload("empty.pdf", b""), DOCUMENTS)


def test_a_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="smaller than 1.0"):
        check_upload(upload("big.pdf", PDF_BYTES + b"0" * 2048), DOCUMENTS)


def test_a_childs_picture_is_accepted_for_their_views():
    assert check_upload(upload("drawing.png", PNG_BYTES), PICTURES_AND_RECORDINGS) == "image/png"


def test_every_type_an_upload_may_be_has_the_extension_its_download_is_saved_with():
    assert set(DOCUMENTS) | set(PICTURES_AND_RECORDINGS) <= set(EXTENSIONS)
