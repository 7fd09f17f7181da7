"""The import page's upload form, the organizations a user may import into, and the dry run's
questions about the words it could not read."""

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cases.imports.plan import WordInFile
from cases.imports.reading import max_upload_bytes
from cases.imports.vocabulary import Meanings
from cases.models.imports import CODES
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


class WordMeaningsForm(forms.Form):
    """What the words of a file's coded columns mean: one select per word the built-in
    vocabulary does not hold, offering the codes of that word's column only."""

    PREFIX = "meaning-"

    remember = forms.BooleanField(
        label=_("Remember these meanings for my group's next imports"),
        required=False,
    )

    def __init__(self, *args: Any, words: list[WordInFile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.words = words
        self.word_fields: list[tuple[WordInFile, forms.BoundField]] = []
        for index, word in enumerate(words):
            name = f"{self.PREFIX}{index}"
            self.fields[name] = forms.ChoiceField(
                label=_("Meaning of “%(word)s” in the column “%(column)s”")
                % {"word": word.text, "column": word.header or word.column_label},
                choices=[("", _("— not chosen —")), *CODES[word.coded_column].choices],
                required=False,
                initial=word.code,
                error_messages={
                    "invalid_choice": _(
                        "“%(value)s” is not a meaning of the column “%(column)s”: choose one "
                        "of the list."
                    )
                    % {"value": "%(value)s", "column": word.column_label},
                },
            )
        # The remember box comes after the words.
        self.order_fields([name for name in self.fields if name != "remember"] + ["remember"])
        self.word_fields = [(word, self[f"{self.PREFIX}{i}"]) for i, word in enumerate(words)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data:
            posted = {key for key in self.data if key.startswith(self.PREFIX)}
            if posted - set(self.fields):
                raise forms.ValidationError(
                    _(
                        "The form gives meanings for words that are not in this file. Nothing "
                        "was changed; answer the questions on this page."
                    )
                )
        return cleaned

    def meanings(self) -> dict[str, dict[str, str]]:
        """{coded column: {folded word: code}} of the words given a meaning."""
        chosen: dict[str, dict[str, str]] = {}
        for index, word in enumerate(self.words):
            code = self.cleaned_data.get(f"{self.PREFIX}{index}")
            if word.source == Meanings.SAVED and code == word.code:
                # The group's saved meaning, left as it was: it stays the group's.
                continue
            if code:
                chosen.setdefault(word.coded_column, {})[word.word] = code
        return chosen
