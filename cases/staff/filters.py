"""The staff list's filters: the public ones (cases.public.filters.CaseFilter) plus private ones."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Model
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


# Parameters that choose the output, not the cases: left out of links between reports.
OUTPUT_PARAMETERS = {"columns", "page", "private"}


def filter_querystring(query_dict):
    """The request's filter parameters as a query string, for links to the other reports of
    the same cases."""
    filters = query_dict.copy()
    for name in OUTPUT_PARAMETERS:
        filters.pop(name, None)
    return filters.urlencode()


def logged_filters(filterset: CaseFilter) -> dict[str, str | list[str]]:
    """The filters of a valid filterset as the export log records them: each value cleaned and
    written as in a URL, empty ones left out. Search terms are taken out where the log is
    written (cases.staff.exports.record_export); parameters that are no filter never get here.
    """
    logged: dict[str, str | list[str]] = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        if isinstance(value, list | tuple):
            logged[name] = [_as_text(field, item) for item in value]
        else:
            logged[name] = _as_text(field, value)
    return logged


def _as_text(field: forms.Field, value: object) -> str:
    if isinstance(value, Model):
        return str(getattr(value, getattr(field, "to_field_name", None) or "pk"))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


class ExportOptionsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(c.key, c.label) for c in COLUMNS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_columns(self):
        return self.cleaned_data["columns"] or list(DEFAULT_COLUMNS)
