"""The rows a case page holds: names, relatives, events, testimonies, sources and consent."""

import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cases.admin.dates import PartialDateField, PartialDatesFormMixin
from cases.admin.duplicates import PersonNameFormSet
from cases.admin.scoping import CaseRowInline, OnCasePageMixin, PersonRowInline
from cases.admin.widgets import (
    SERVED_FILE_WIDGETS,
    BatchedLabelsFormSet,
    LabelledInputsFormSetMixin,
)
from cases.models import (
    CaseEvent,
    CaseTranslation,
    Citizenship,
    Consent,
    Person,
    PersonName,
    Relationship,
    Residence,
    Source,
    Testimony,
)
from cases.names import detect_script
from orgs.models import Country

# --- forms -------------------------------------------------------------------------------


class PersonNameForm(forms.ModelForm):
    """A name whose script is read from its letters when the volunteer leaves it out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "script" in self.fields:
            self.fields["script"].required = False
            self.fields["script"].help_text = _("Left empty, it is read from the letters.")

    def clean_script(self):
        script = self.cleaned_data.get("script")
        value = self.cleaned_data.get("value") or ""
        if script or not value:
            return script
        detected = detect_script(value)
        if not detected:
            raise ValidationError(_("Choose the script this name is written in."))
        return detected


class CaseNameFormSet(LabelledInputsFormSetMixin, PersonNameFormSet):
    default_error_messages = {
        **PersonNameFormSet.default_error_messages,
        "too_few_forms": _("Give at least one name of the detained person."),
    }


class RelativeForm(forms.ModelForm):
    """A relative of the detained person: someone already in the records, or a new person
    made here from a name, citizenship and phone (private)."""

    new_name = forms.CharField(label=_("name of a new relative"), max_length=200, required=False)
    new_citizenship = forms.ModelChoiceField(
        label=_("citizenship"), queryset=Country.objects.order_by("name"), required=False
    )
    new_phone = forms.CharField(label=_("phone (private)"), max_length=100, required=False)

    class Meta:
        model = Relationship
        fields = ("relative", "new_name", "kind", "new_citizenship", "new_phone", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "relative" in self.fields:
            self.fields["relative"].required = False
            self.fields["relative"].label = _("someone already in the records")
        if self.instance.pk is not None:
            # A saved row names its relative already; the new-person inputs are for new rows
            # (and hidden here, a country list per row would cost a query each).
            for name in ("new_name", "new_citizenship", "new_phone"):
                self.fields[name].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE"):
            return cleaned
        has_relative = bool(cleaned.get("relative")) or bool(self.instance.relative_id)
        if not has_relative and not cleaned.get("new_name"):
            self.add_error(
                "new_name",
                _("Give the relative's name, or choose someone already in the records."),
            )
        if cleaned.get("relative") and cleaned.get("new_name"):
            self.add_error(
                "new_name",
                _("Either a new relative's name or someone already in the records, not both."),
            )
        return cleaned

    def save(self, commit=True):
        name = self.cleaned_data.get("new_name")
        if name and not self.instance.relative_id:
            person = Person.objects.create(contact_details=self.cleaned_data.get("new_phone", ""))
            PersonName.objects.create(
                person=person,
                value=name,
                script=detect_script(name) or PersonName.Script.LATIN,
            )
            if self.cleaned_data.get("new_citizenship"):
                Citizenship.objects.create(
                    person=person, country=self.cleaned_data["new_citizenship"]
                )
            self.instance.relative = person
        return super().save(commit)


NEW_RELATIVE = re.compile(r"new-(\d{1,4})")
NEW_RELATIVE_IN_ROW = _("the new relative in row %(row)s above")
NAMED_NEW_RELATIVE = _("%(name)s, the relative added above")


def new_relative_label(relatives_formset, index):
    """How a relative row not saved yet is offered as testifier or consent giver: by the name
    typed in it, else by its row."""
    name = ""
    if relatives_formset.is_bound:
        key = f"{relatives_formset.add_prefix(index)}-new_name"
        name = str(relatives_formset.data.get(key, ""))
    if name.strip():
        return NAMED_NEW_RELATIVE % {"name": name.strip()[:200]}
    return NEW_RELATIVE_IN_ROW % {"row": index + 1}


class FromRelativesForm(forms.ModelForm):
    """A testimony or consent whose person is picked from the case's relatives, including one
    added in the same save ("new-N": row N of the relatives); `person_field` still searches
    for someone else."""

    person_field = ""
    from_relatives = forms.ChoiceField(label=_("one of the relatives"), required=False)

    def __init__(self, *args, relatives=(), relatives_formset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.relatives = {str(pk) for pk, _label in relatives}
        self.relatives_formset = relatives_formset
        choices = [("", _("— someone else (search below) —"))]
        choices += [(str(pk), label) for pk, label in relatives]
        if relatives_formset is not None:
            first_new = relatives_formset.initial_form_count()
            choices += [
                (f"new-{i}", new_relative_label(relatives_formset, i))
                for i in range(first_new, relatives_formset.total_form_count())
            ]
        self.fields["from_relatives"].choices = choices
        # case_page.js offers the relatives added in the browser too, labelled the same way.
        self.fields["from_relatives"].widget.attrs.update(
            {
                "data-new-relative": str(NEW_RELATIVE_IN_ROW),
                "data-named-relative": str(NAMED_NEW_RELATIVE),
            }
        )
        self.new_relative_row = None
        self.chosen_relative_id = None
        if self.person_field in self.fields:
            self.fields[self.person_field].label = _("someone else")
            current = getattr(self.instance, f"{self.person_field}_id")
            if current is not None and str(current) in self.relatives:
                self.initial["from_relatives"] = str(current)
                self.initial[self.person_field] = None

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("from_relatives") or ""
        if not chosen:
            return cleaned
        if cleaned.get(self.person_field):
            self.add_error(
                "from_relatives", _("Choose one of the relatives or someone else, not both.")
            )
            return cleaned
        match = NEW_RELATIVE.fullmatch(chosen)
        if match is None:
            self.chosen_relative_id = int(chosen)
            return cleaned
        row = int(match[1])
        forms_ = self.relatives_formset.forms if self.relatives_formset is not None else []
        if row >= len(forms_) or not forms_[row].has_changed():
            self.add_error(
                "from_relatives", _("That row of the relatives is empty: fill it in first.")
            )
        else:
            self.new_relative_row = row
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.chosen_relative_id is not None:
            setattr(self.instance, f"{self.person_field}_id", self.chosen_relative_id)


class TestimonyForm(FromRelativesForm):
    person_field = "testifier"

    class Meta:
        model = Testimony
        exclude = ()  # noqa: DJ006


class ConsentForm(FromRelativesForm):
    person_field = "given_by"

    class Meta:
        model = Consent
        exclude = ()  # noqa: DJ006


class CaseEventForm(PartialDatesFormMixin, forms.ModelForm):
    partial_dates = ("date_start", "date_end")

    date_start = PartialDateField(label=_("date"))
    date_end = PartialDateField(label=_("until"))
    suspected_reasons = forms.MultipleChoiceField(
        label=_("suspected reasons"),
        choices=CaseEvent.Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CaseEvent
        exclude = ()  # noqa: DJ006


# --- inlines -----------------------------------------------------------------------------


class PersonNameInline(PersonRowInline, admin.TabularInline):
    model = PersonName
    form = PersonNameForm
    formset = PersonNameFormSet
    extra = 1
    fields = ("value", "script", "language", "kind")


class CaseNameInline(OnCasePageMixin, PersonNameInline):
    formset = CaseNameFormSet
    verbose_name_plural = _("who is detained: names (in every script)")
    # The first name row must be filled in: a case without a name is not saved, and takes no
    # entry number. A new case shows a second row: families give a name in two scripts.
    extra = 1
    validate_min = True

    def get_min_num(self, request, obj=None, **kwargs):
        # A new case needs a name; a case saved before this rule (or imported without one)
        # stays editable.
        return 1 if obj is None or obj.pk is None else 0


class CitizenshipInline(PersonRowInline, admin.TabularInline):
    model = Citizenship
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["country"]


class ResidenceInline(PersonRowInline, admin.TabularInline):
    model = Residence
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["country"]


class RelationshipInline(PersonRowInline, admin.TabularInline):
    model = Relationship
    formset = BatchedLabelsFormSet
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["relative"]
    verbose_name_plural = _("relatives")

    def get_queryset(self, request):
        # Each row's title names the relative (Relationship.__str__): fetch them with the rows.
        names = PersonName.objects.order_by()
        return (
            super()
            .get_queryset(request)
            .select_related("relative", "person")
            .prefetch_related(
                Prefetch("relative__names", queryset=names),
                Prefetch("person__names", queryset=names),
            )
        )


class CaseCitizenshipInline(OnCasePageMixin, CitizenshipInline):
    extra = 1
    fields = ("country",)
    verbose_name_plural = _("citizenships of the detained person")


class CaseRelationshipInline(OnCasePageMixin, RelationshipInline):
    form = RelativeForm
    extra = 1
    verbose_name = _("relative")
    verbose_name_plural = _("who reports it: relatives of the detained person")


class NewCaseRowMixin:
    """An empty row ready on a new case's page (what happened, the testimony, the consent: the
    family tells each of them); a row left untouched saves nothing."""

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None or obj.pk is None else 0


class CaseEventInline(NewCaseRowMixin, CaseRowInline, admin.StackedInline):
    model = CaseEvent
    form = CaseEventForm
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["facility"]
    verbose_name_plural = _("what happened and when")
    fields = (
        ("kind", "facility", "place"),
        ("date_start", "date_end"),
        ("official_reason", "sentence_months"),
        "suspected_reasons",
        "description",
        "notes",
    )


class RelativesFormSet(BatchedLabelsFormSet):
    """Hands each form the case's relatives to choose from (set by CaseAdmin)."""

    relatives = ()
    relatives_formset = None

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "relatives": self.relatives,
            "relatives_formset": self.relatives_formset,
        }

    def save(self, commit=True):
        # The relatives are saved first (their inline comes first): a row that chose "the new
        # relative in row N" now gets the person made from that row.
        for form in self.forms:
            row = getattr(form, "new_relative_row", None)
            if row is not None:
                relative = self.relatives_formset.forms[row].instance.relative
                setattr(form.instance, form.person_field, relative)
        return super().save(commit)


class TestimonyInline(NewCaseRowMixin, CaseRowInline, admin.StackedInline):
    model = Testimony
    form = TestimonyForm
    formset = RelativesFormSet
    extra = 0
    fields = (
        ("from_relatives", "testifier"),
        ("relationship", "given_on"),
        ("language", "medium"),
        "link",
        "file",
        "transcript",
        "visibility",
    )
    autocomplete_fields = ["testifier"]
    formfield_overrides = SERVED_FILE_WIDGETS


class SourceInline(CaseRowInline, admin.StackedInline):
    model = Source
    formset = BatchedLabelsFormSet
    extra = 0
    readonly_fields = ("sha256",)
    formfield_overrides = SERVED_FILE_WIDGETS


class ConsentInline(NewCaseRowMixin, CaseRowInline, admin.StackedInline):
    model = Consent
    form = ConsentForm
    formset = RelativesFormSet
    extra = 0
    fields = (
        ("from_relatives", "given_by"),
        "given_on",
        ("consent_to_document", "consent_to_publish"),
        "identity_level",
        ("photo_consent", "un_submission_consent"),
        "giver_may_be_named",
        "withdrawn_at",
        "withdrawal_notes",
        "notes",
    )
    autocomplete_fields = ["given_by"]
    # Withdrawal is its own explicit action (the "Withdraw consent" button), recorded with who
    # and when; a checkbox here could be ticked by mistake or quietly unticked.
    readonly_fields = ("withdrawn_at",)
    # Consent is never deleted: deleting a withdrawn consent and adding a new one would put the
    # case back online without anyone noticing. A withdrawal stays on record.
    can_delete = False
    verbose_name_plural = _("consent of the family")


class EventsFormSet(BatchedLabelsFormSet):
    """Hands each translation form the case's events to choose from (set by CaseAdmin from the
    events the page reads anyway), so that the choice costs no query of its own."""

    events: list = []

    def get_queryset(self):
        # CaseAdmin.get_queryset knows whether the case has any translation.
        if getattr(self.instance, "has_translations", None) is False:
            return self.model._default_manager.none()
        return super().get_queryset()

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "events": self.events, "case": self.instance}


class CaseTranslationForm(forms.ModelForm):
    class Meta:
        model = CaseTranslation
        fields = ("event", "language", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, events=(), case=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        # Only this case's events; the labels come from the page, the rows are read only to
        # check a submitted choice.
        if case is not None and case.pk is not None:
            field.queryset = CaseEvent.objects.filter(case=case)
        else:
            field.queryset = CaseEvent.objects.none()
        field.choices = [("", _("the public summary")), *events]


class CaseTranslationInline(CaseRowInline, admin.TabularInline):
    model = CaseTranslation
    form = CaseTranslationForm
    formset = EventsFormSet
    extra = 0
    fields = ("event", "language", "text")
    verbose_name_plural = _("translations of the summary and the events' descriptions")
