"""A group's saved meanings for the words of its case lists (cases.imports): members see them,
coordinators change and delete them; each group sees its own only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from cases.models import CodedColumn, ImportWordMapping
from cases.models.imports import CODES
from orgs.access import ScopedModelAdmin
from orgs.admin import CoordinatedByOrganization


def meaning_choices():
    """Every column's codes, grouped by column; a choice's value is "column:code"."""
    return [
        (column.label, [(f"{column.value}:{code}", label) for code, label in CODES[column].choices])
        for column in CodedColumn
    ]


class ImportWordMappingForm(forms.ModelForm):
    meaning = forms.ChoiceField(
        label=pgettext_lazy("import word", "Meaning"),
        choices=meaning_choices,
        help_text=_("The column the word is written in, and what it means there."),
    )

    class Meta:
        model = ImportWordMapping
        fields = ("organization", "word")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["meaning"] = f"{self.instance.column}:{self.instance.code}"

    def clean(self):
        cleaned = super().clean()
        column, _sep, code = (cleaned.get("meaning") or "").partition(":")
        self.instance.column = column
        self.instance.code = code
        return cleaned

    def validate_unique(self):
        # The column is set from the meaning, so Django's check of (organization, column, word)
        # must see it: the form's own fields do not include it.
        try:
            self.instance.validate_unique()
            self.instance.validate_constraints()
        except forms.ValidationError as error:
            self.add_error(None, error)


@admin.register(ImportWordMapping)
class ImportWordMappingAdmin(CoordinatedByOrganization, ScopedModelAdmin, SimpleHistoryAdmin):
    form = ImportWordMappingForm
    list_display = ("word", "column", "meaning_label", "organization", "created_by", "updated_at")
    list_filter = ("column",)
    list_select_related = ("organization", "created_by")
    search_fields = ("word",)
    fields = ("organization", "word", "meaning")

    @admin.display(description=pgettext_lazy("import word", "meaning"))
    def meaning_label(self, obj):
        return obj.meaning_label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
