"""Duplicate warnings on the person and case pages: likely duplicates, and “save anyway”."""

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.translation import gettext

from cases.duplicates import likely_duplicates
from cases.models import (
    Case,
    Person,
)

# --- duplicate warnings ------------------------------------------------------------------

CONFIRM_DUPLICATES = "save_despite_duplicates"


class PersonNameFormSet(BaseInlineFormSet):
    """Names of a person; for a new person, refuses to save while likely duplicates are found,
    until the volunteer ticks "save anyway"."""

    def __init__(self, *args, duplicate_check_user=None, duplicates_confirmed=False, **kwargs):
        self.duplicate_check_user = duplicate_check_user
        self.duplicates_confirmed = duplicates_confirmed
        self.likely_duplicates = []
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        person = self.instance
        if self.duplicate_check_user is None or person.pk is not None:
            return
        names = [
            form.cleaned_data["value"]
            for form in self.forms
            if form.cleaned_data.get("value") and not form.cleaned_data.get("DELETE")
        ]
        user = self.duplicate_check_user
        # Only people the volunteer may see anyway: the warning must not tell group A whom
        # group B documents.
        shown = Person.objects.visible_to(user) | Person.objects.filter(
            case__in=Case.objects.public()
        )
        found = likely_duplicates(
            names=names,
            birth_year=person.birth_year,
            prefecture=person.hometown_prefecture,
            county=person.hometown_county,
        ).filter(pk__in=shown.values("pk"))
        self.likely_duplicates = list(found.select_related("case")[:20])
        if self.likely_duplicates and not self.duplicates_confirmed:
            raise ValidationError(
                gettext(
                    "This person may already be in the records (see the likely duplicates "
                    "above). Open them to check; if this is someone else, tick “save anyway” "
                    "and save again."
                ),
                code="likely_duplicate",
            )


def duplicate_links(people, user):
    rows = []
    for person in people:
        case = getattr(person, "case", None)
        if case is not None:
            url = reverse("admin:cases_case_change", args=[case.pk])
            label = f"{case} · {person.display_name}"
        else:
            url = reverse("admin:cases_person_change", args=[person.pk])
            label = person.display_name or str(person)
        rows.append(
            {
                "url": url,
                "label": label,
                "birth_year": person.birth_year,
                "hometown": ", ".join(
                    filter(None, [person.get_hometown_prefecture_display(), person.hometown_county])
                ),
            }
        )
    return rows


class DuplicateWarningAdmin:
    """Shared by the person and case pages: pass the user and the confirmation to the names
    formset, and the duplicates it found to the template."""

    def names_formset_kwargs(self, request, kwargs):
        kwargs["duplicate_check_user"] = request.user
        kwargs["duplicates_confirmed"] = request.POST.get(CONFIRM_DUPLICATES) == "on"
        return kwargs

    def render_change_form(self, request, context, *args, **kwargs):
        for inline_formset in context.get("inline_admin_formsets", []):
            found = getattr(inline_formset.formset, "likely_duplicates", None)
            if found:
                context["likely_duplicates"] = duplicate_links(found, request.user)
                context["confirm_duplicates_field"] = CONFIRM_DUPLICATES
        return super().render_change_form(request, context, *args, **kwargs)
