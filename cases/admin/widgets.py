"""Admin widgets: autocomplete selects whose labels are fetched once per inline formset."""

from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.forms.models import BaseInlineFormSet

from cases.models import (
    Person,
)
from cases.public.files import served_url


class BatchedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks up the label of its selected row with a query of its
    own: on a case page that is a query (or two, for a person's names) per event, testimony
    and relative. BatchedLabelsFormSet fetches the labels of all rows at once."""

    known_labels = None

    def _is_key(self, value):
        """Whether `value` can be looked up as a key of the related table at all."""
        target = self.field.target_field
        try:
            key = target.to_python(value)
        except ValidationError:
            return False
        if isinstance(key, int):
            low, high = connection.ops.integer_field_range(target.get_internal_type())
            return (low is None or key >= low) and (high is None or key <= high)
        return True

    def optgroups(self, name, value, attr=None):
        # The add page takes initial values from the URL (?organization=abc): Django's widget
        # would put a value that is no key into its query and answer 500. It selects nothing.
        value = [v for v in value if v in (None, "") or self._is_key(v)]
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or self.known_labels is None or not selected <= self.known_labels.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            options.append(
                self.create_option(name, pk, self.known_labels[pk], selected, len(options))
            )
        return [(None, options, 0)]


def label_every_input(form, row=None) -> None:
    """Give each input of an inline row an accessible name: a tabular row's only label is its
    column heading, which screen readers do not tie to the input."""
    for field in form.fields.values():
        if field.widget.is_hidden:
            continue
        label = str(field.label or "")
        if row is not None:
            label = f"{label} ({row})"
        for widget in getattr(field.widget, "widgets", None) or [field.widget]:
            widget.attrs.setdefault("aria-label", label)
        inner = getattr(field.widget, "widget", None)
        if inner is not None:
            inner.attrs.setdefault("aria-label", label)


class LabelledInputsFormSetMixin:
    def add_fields(self, form, index):
        super().add_fields(form, index)
        label_every_input(form, None if index is None else index + 1)


class BatchedLabelsFormSet(LabelledInputsFormSetMixin, BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, BatchedAutocompleteSelect):
                widget.known_labels = self._labels_for(name, field)
        return form

    def _labels_for(self, name, field):
        cache = self.__dict__.setdefault("_batched_labels", {})
        if name not in cache:
            ids = {getattr(row, f"{name}_id") for row in self.get_queryset()} - {None}
            rows = field.queryset.filter(pk__in=ids) if ids else field.queryset.none()
            if field.queryset.model is Person:
                rows = rows.prefetch_related("names")
            cache[name] = {str(row.pk): field.label_from_instance(row) for row in rows}
        return cache[name]


class _ServedFile:
    """What the admin's file widget shows for a stored file: its own name, and the link that
    goes through serve_upload."""

    def __init__(self, field_file, url):
        self.url = url
        self.name = field_file.name

    def __str__(self):
        return PurePosixPath(self.name).name


class ServedFileInput(forms.ClearableFileInput):
    """The admin's upload field, linking the current file through /files/
    (see cases.public.files.served_url)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            url = served_url(value)
            context["widget"]["value"] = _ServedFile(value, url) if url else value
        return context


# For ModelAdmin.formfield_overrides wherever an upload field is edited.
SERVED_FILE_WIDGETS = {
    models.FileField: {"widget": ServedFileInput},
    models.ImageField: {"widget": ServedFileInput},
}
