"""Duplicate warnings on the person and case pages: likely duplicates, and “save anyway”."""

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.translation import gettext

from cases.duplicates import (
    Candidate,
    check_public_records,
    likely_duplicates,
    lookup_limit_message,
)
from cases.models import Person

# --- duplicate warnings ------------------------------------------------------------------

CONFIRM_DUPLICATES = "save_despite_duplicates"


class PersonNameFormSet(BaseInlineFormSet):
    """Names of a person; for a new person, refuses to save while likely duplicates are found,
    until the volunteer ticks "save anyway"."""

    def __init__(self, *args, duplicate_check_user=None, duplicates_confirmed=False, **kwargs):
        self.duplicate_check_user = duplicate_check_user
        self.duplicates_confirmed = duplicates_confirmed
        self.likely_duplicates = []
        # Other groups' published entries: named ones as their public page shows them, and
        # whether an anonymous one may match (never which).
        self.public_duplicates = []
        self.anonymous_duplicate = False
        self.public_check_limited = False
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
        found = likely_duplicates(
            names=names,
            birth_year=person.birth_year,
            prefecture=person.hometown_prefecture,
            county=person.hometown_county,
        ).filter(pk__in=Person.objects.visible_to(user).values("pk"))
        self.likely_duplicates = list(found.select_related("case")[:20])
        if self.duplicates_confirmed:
            # "Save anyway" was ticked after the warning: no need to look again (and count it).
            return
        candidate = Candidate.from_names(
            names,
            birth_year=person.birth_year,
            prefecture=person.hometown_prefecture,
            county=person.hometown_county,
        )
        check = check_public_records([candidate], user=user, where="person")
        shown = {p.case.entry_number for p in self.likely_duplicates if hasattr(p, "case")}
        for match in check.matches[0]:
            if match.anonymous:
                self.anonymous_duplicate = True
            elif match.entry_number not in shown:
                self.public_duplicates.append(match)
        self.public_check_limited = bool(check.unchecked)
        if self.likely_duplicates or self.public_duplicates or self.anonymous_duplicate:
            raise ValidationError(
                gettext(
                    "This person may already be in the records (see the likely duplicates "
                    "above). Open them to check; if this is someone else, tick “save anyway” "
                    "and save again."
                ),
                code="likely_duplicate",
            )
        if self.public_check_limited:
            raise ValidationError(
                lookup_limit_message()
                + " "
                + gettext("To save without that check, tick “save anyway” and save again."),
                code="duplicate_check_limited",
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
            formset = inline_formset.formset
            if not isinstance(formset, PersonNameFormSet):
                continue
            if formset.likely_duplicates:
                found = formset.likely_duplicates
                context["likely_duplicates"] = duplicate_links(found, request.user)
            context["public_duplicates"] = formset.public_duplicates
            context["anonymous_duplicate"] = formset.anonymous_duplicate
            if formset.public_check_limited:
                context["duplicate_check_limited"] = lookup_limit_message()
            if (
                formset.likely_duplicates
                or formset.public_duplicates
                or formset.anonymous_duplicate
                or formset.public_check_limited
            ):
                context["confirm_duplicates_field"] = CONFIRM_DUPLICATES
        return super().render_change_form(request, context, *args, **kwargs)
