"""The admin's upload: which authority, what kind of file, the file; and the guard that
stops reading an upload once it is larger than the portal takes, so a 200 MB file is
refused without ever being written to disk."""

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat

from agencies.models import LocalAuthority
from imports.models import ImportRun
from imports.reading import max_bytes


class LimitedUpload(FileUploadHandler):
    """First of a request's upload handlers: counts a file's bytes as they arrive and stops
    the upload (the rest of the request is read and thrown away) past the limit."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large_message() -> str:
    return (f"The file is larger than {filesizeformat(max_bytes())}, the largest the portal "
            "takes. Take out the columns the import does not read, or split the rows into "
            "several files and import each.")


class UploadForm(forms.Form):
    authority = forms.ModelChoiceField(queryset=LocalAuthority.objects.none(),
                                       empty_label=None)
    kind = forms.ChoiceField(label="What the file holds", choices=ImportRun.Kind.choices,
                             widget=forms.RadioSelect, initial=ImportRun.Kind.CASELOAD)
    file = forms.FileField(
        label="The file, CSV or Excel (.xlsx)",
        help_text="A caseload's columns are the template's. The register of schools is the "
                  "DfE's establishment CSV from Get Information about Schools, as "
                  "downloaded.")
    all_or_nothing = forms.BooleanField(
        label="Import nothing if any row has a problem", required=False,
        help_text="Otherwise the rows without problems are imported, and the report lists "
                  "the others to fix and import again.")

    def __init__(self, *args, authorities, upload: LimitedUpload | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload = upload
        self.fields["authority"].queryset = authorities
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def full_clean(self):
        super().full_clean()
        # The file was stopped part way: "No file was submitted" would say the wrong thing.
        if self.upload is not None and self.upload.too_large:
            self.errors["file"] = self.error_class([too_large_message()])
