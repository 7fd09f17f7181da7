"""The staff list's filters: the public ones (cases.public.filters.CaseFilter) plus private ones."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.public.filters import CaseFilter
from cases.staff.exports import COLUMNS, DEFAULT_COLUMNS


class StaffCaseFilter(CaseFilter):
    publication_state = django_filters.MultipleChoiceFilter(
        label=_("Publication state"),
        choices=Case.PublicationState.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"), choices=Case.Priority.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *args, organizations, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Only the organizations the user reports on: another group's slug is a form error.
        self.filters["organization"].queryset = organizations
        self.form.fields["organization"].queryset = organizations


# Parameters that choose the output, not the cases: left out of the logged filter.
OUTPUT_PARAMETERS = {"columns", "page", "private"}


def filter_querystring(query_dict):
    """The request's filter parameters as a query string, for the export log."""
    filters = query_dict.copy()
    for name in OUTPUT_PARAMETERS:
        filters.pop(name, None)
    return filters.urlencode()


class ExportOptionsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(c.key, c.label) for c in COLUMNS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_columns(self):
        return self.cleaned_data["columns"] or list(DEFAULT_COLUMNS)
