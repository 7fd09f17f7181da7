"""Labels of stored choice values ("camp" → "detained in a camp"), in the reader's language."""

import functools
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.choices import flatten_choices
from django.utils.translation import get_language

ChoiceSource = models.Field | forms.Field | type[models.Choices] | Iterable


def choice_labels(choices: ChoiceSource) -> dict[Any, str]:
    """{stored value: label} for a model field, a form field, a Choices class or (value, label)
    pairs, with the labels translated into the active language.

    For model fields and Choices classes the dict is built once per language: turning lazy
    labels into text row by row was most of the time of a 100,000-case export.
    """
    if isinstance(choices, models.Field) or (
        isinstance(choices, type) and issubclass(choices, models.Choices)
    ):
        return _labels_in(choices, get_language())
    return _labels(choices)


@functools.cache
def _labels_in(choices: models.Field | type[models.Choices], language: str | None) -> dict:
    return _labels(choices)


def _labels(choices: ChoiceSource) -> dict[Any, str]:
    if isinstance(choices, models.Field):
        pairs = choices.flatchoices
    elif isinstance(choices, type) and issubclass(choices, models.Choices):
        pairs = choices.choices
    elif isinstance(choices, forms.Field):
        pairs = flatten_choices(getattr(choices, "choices", ()))
    else:
        pairs = flatten_choices(choices)
    return {value: str(label) for value, label in pairs}


def choice_label(model: type[models.Model], name: str, value: Any) -> str:
    """The label of a stored choice of `model.name`, in the reader's language ("" if empty)."""
    if value in (None, ""):
        return ""
    return str(choice_labels(model._meta.get_field(name)).get(value, value))
