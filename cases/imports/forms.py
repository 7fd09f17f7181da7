"""The import page's upload form, and the organizations a user may import into."""

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cases.imports.reading import max_upload_bytes
from orgs.access import organizations_for
from orgs.models import Organization, User


class CaseImportForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        help_text=_("The imported cases belong to this organization, as drafts."),
    )
    file = forms.FileField(
        label=_("Case list"),
        help_text=_(
            "A .csv file (UTF-8, comma or semicolon) or an .xlsx workbook of the template's shape."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = organizations_for(user)
        field = cast(forms.ModelChoiceField, self.fields["organization"])
        field.queryset = organizations
        if len(organizations) == 1:
            field.initial = organizations[0].pk
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.xlsx"

    def clean_file(self) -> UploadedFile:
        uploaded = self.cleaned_data["file"]
        limit = max_upload_bytes()
        # Checked before the file is read: Django has only spooled it to disk so far.
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file this import reads is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            )
        return uploaded
