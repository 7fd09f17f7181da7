"""Choice labels (cases.choices.choice_labels): one dict of labels for any kind of choices, in
the reader's language."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy, override

from cases.choices import choice_labels
from cases.models import Case


class Answer(models.TextChoices):
    YES = "y", gettext_lazy("Yes")  # translated by Django's own catalogue
    NO = "n", gettext_lazy("No")


def test_a_model_field_a_choices_class_a_form_field_and_pairs_give_the_same_labels():
    expected = {value: str(label) for value, label in Case.Status.choices}
    assert choice_labels(Case._meta.get_field("status")) == expected
    assert choice_labels(Case.Status) == expected
    assert choice_labels(forms.ChoiceField(choices=Case.Status.choices)) == expected
    assert choice_labels(Case.Status.choices) == expected


def test_grouped_choices_are_flattened():
    grouped = [("Detained", [("camp", "in a camp"), ("prison", "in prison")]), ("free", "free")]
    assert choice_labels(grouped) == {"camp": "in a camp", "prison": "in prison", "free": "free"}


def test_labels_follow_the_active_language():
    with override("ru"):
        assert choice_labels(Answer) == {"y": "Да", "n": "Нет"}
    with override("en"):
        assert choice_labels(Answer) == {"y": "Yes", "n": "No"}
    with override("ru"):
        assert choice_labels(Answer)["y"] == "Да"


def test_labels_are_text_not_lazy_objects():
    assert all(type(label) is str for label in choice_labels(Case.Status).values())
