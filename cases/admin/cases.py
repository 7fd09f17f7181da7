"""The volunteers' workspace: one case is one page, scoped to the user's organizations.

Access rules live in orgs.access (roles from Membership); what each workflow step does
lives in cases.services. This module arranges pages, forms and lists.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.admin.changelists import (
    CaseChangeList,
    DetentionYearListFilter,
    OrganizationListFilter,
    search_cases,
)
from cases.admin.dates import PartialDateField
from cases.admin.duplicates import DuplicateWarningAdmin
from cases.admin.imports import CaseImportMixin
from cases.admin.inlines import (
    CaseCitizenshipInline,
    CaseEventInline,
    CaseNameInline,
    CaseRelationshipInline,
    CaseTranslationInline,
    ConsentInline,
    EventsFormSet,
    RelativesFormSet,
    SourceInline,
    TestimonyInline,
)
from cases.admin.scoping import OnCasePageMixin, ScopedChoicesMixin
from cases.models import (
    Case,
    CaseEvent,
    CaseTranslation,
    Consent,
    Person,
    PersonName,
    PublicEntry,
    Relationship,
    Source,
    Testimony,
)
from cases.numbers import parse_entry_number
from cases.services import merge, publication, workflow
from orgs.access import ScopedModelAdmin, is_site_staff, only_organization

# --- the case page -----------------------------------------------------------------------

PERSON_FIELDS = [
    "gender",
    "birth_date",
    "ethnicity",
    "hometown_prefecture",
    "hometown_county",
    "hometown_township",
    "hometown_village",
    "occupation",
]


def _person_field(name):
    return Person._meta.get_field(name).formfield()


class CaseForm(forms.ModelForm):
    """The case with its detained person's main details, so that one page makes both."""

    person_gender = _person_field("gender")
    person_birth_date = PartialDateField(label=_("birth date"))
    person_ethnicity = _person_field("ethnicity")
    person_hometown_prefecture = _person_field("hometown_prefecture")
    person_hometown_county = _person_field("hometown_county")
    person_hometown_township = _person_field("hometown_township")
    person_hometown_village = _person_field("hometown_village")
    person_occupation = _person_field("occupation")
    # The version of the case when the form was loaded; a save from an older version is
    # refused instead of overwriting what someone else saved in between.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = (
            "organization",
            "relatives_countries",
            "status",
            "status_confirmed_on",
            "evidence_level",
            "priority",
            "summary",
            "content_language",
            "notes",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.person_id is None:
            self.instance.person = Person()
        person = self.instance.person
        if not self.is_bound:
            for name in PERSON_FIELDS:
                self.initial[f"person_{name}"] = getattr(person, name)
            if person.birth_date is not None:
                self.initial["person_birth_date"] = (
                    person.birth_date,
                    person.birth_date_precision,
                )
            self.initial["loaded_version"] = self.instance.version
            if "relatives_countries" in self.fields and not self.initial.get("relatives_countries"):
                # Empty so far: start from where the relatives on record live.
                self.initial["relatives_countries"] = self.instance.countries_of_relatives()

    def clean(self):
        cleaned = super().clean()
        case = self.instance
        if case.pk is not None:
            current = (
                Case.objects.select_for_update()
                .filter(pk=case.pk)
                .values_list("version", flat=True)
                .first()
            )
            loaded = cleaned.get("loaded_version")
            if loaded != current:
                raise ValidationError(stale_form_message(case, loaded), code="stale")
            case.version = current
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        person = self.instance.person
        for name in PERSON_FIELDS:
            key = f"person_{name}"
            if key in self.cleaned_data:
                setattr(person, name, self.cleaned_data[key])
        if isinstance(self.cleaned_data.get("person_birth_date"), tuple):
            # The partial-date field read the precision from what was typed.
            birth_date, precision = self.cleaned_data["person_birth_date"]
            person.birth_date = birth_date
            if birth_date is not None:
                person.birth_date_precision = precision
        try:
            person.full_clean(validate_unique=False)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                key = f"person_{field}" if field in PERSON_FIELDS else None
                for problem in problems:
                    self.add_error(key, problem)


def error_summary(form, inline_admin_formsets) -> list[dict]:
    """Each error on the page with a link to its field: "where" names the field (and the row
    of an inline), "anchor" is the input's id or the inline's group."""
    rows = []

    def add(where, anchor, errors):
        # One row per field, however many problems it has.
        if errors:
            rows.append({"where": where, "anchor": anchor, "message": " ".join(errors)})

    add(gettext("The case"), "content-main", form.non_field_errors())
    for name, errors in form.errors.items():
        if name in form.fields:
            add(form[name].label, form[name].auto_id, errors)
    for inline in inline_admin_formsets:
        formset = inline.formset
        group = f"{formset.prefix}-group"
        title = str(inline.opts.verbose_name_plural)
        add(title, group, formset.non_form_errors())
        for number, inline_form in enumerate(formset.forms, start=1):
            for name, errors in inline_form.errors.items():
                where = f"{title} · {number}"
                if name in inline_form.fields:
                    add(f"{where} · {inline_form[name].label}", inline_form[name].auto_id, errors)
                else:
                    add(where, group, errors)
    return rows


def stale_form_message(case, loaded_version):
    """What changed since the form was loaded, from the history: fields and who."""
    records = list(
        case.history.filter(version__gte=loaded_version or 0)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    base = records[0] if records and records[0].version == loaded_version else None
    changed, people = [], []
    previous = base
    for record in records[1:] if base else records:
        if record.history_user and record.history_user.get_username() not in people:
            people.append(record.history_user.get_username())
        if previous is not None:
            for change in record.diff_against(previous).changes:
                label = str(Case._meta.get_field(change.field).verbose_name)
                if change.field not in ("version", "updated_at") and label not in changed:
                    changed.append(label)
        previous = record
    since = base.history_date if base else None
    if since is not None:
        for model in (CaseEvent, Testimony, Source, Consent):
            if model.history.filter(case_id=case.pk, history_date__gt=since).exists():
                changed.append(str(model._meta.verbose_name_plural))
        if PersonName.history.filter(person_id=case.person_id, history_date__gt=since).exists():
            changed.append(str(PersonName._meta.verbose_name_plural))
    return gettext(
        "Someone else saved this case after you opened it (%(people)s changed: %(fields)s). "
        "Your changes were not saved. Reload the page to see theirs, then make yours again."
    ) % {
        "people": ", ".join(people) or gettext("another user"),
        "fields": ", ".join(changed) or gettext("parts of the case"),
    }


def _event_label(event) -> str:
    """An event as the translations' inline names it: its kind and date."""
    return " · ".join(str(part) for part in (event.get_kind_display(), event.date_display) if part)


@admin.register(Case)
class CaseAdmin(
    CaseImportMixin, DuplicateWarningAdmin, ScopedChoicesMixin, ScopedModelAdmin, admin.ModelAdmin
):
    form = CaseForm
    change_form_template = "admin/cases/case/change_form.html"

    class Media:
        # casetracker/admin.css comes with every admin page (templates/admin/base_site.html).
        js = ["casetracker/case_page.js", "casetracker/autocomplete.js"]

    list_display = (
        "entry_number",
        "name",
        "organization",
        "status",
        "evidence_level",
        "publication_state",
        "on_public_site",
        "detention_year",
        "updated_at",
    )
    list_display_links = ("entry_number", "name")
    # One join for the columns, one prefetch for the names: a page costs the same number of
    # queries with 10 or 100 rows.
    list_select_related = ("person", "organization", "consent")
    list_filter = (
        "status",
        "evidence_level",
        "publication_state",
        OrganizationListFilter,
        "person__ethnicity",
        DetentionYearListFilter,
    )
    # get_search_results() does the searching; this only shows the search box.
    search_fields = ("entry_number",)
    search_help_text = _("A name in any script or spelling, or an entry number.")
    ordering = ("-entry_number",)
    list_per_page = 50
    # No COUNT(*) over every case on filtered pages, and no facet counts.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ["organization", "relatives_countries"]
    readonly_fields = (
        "entry_number",
        "person_link",
        "publication_state",
        "published_at",
        "on_public_site",
        "detention_year",
        "created_by",
        "created_at",
        "updated_at",
    )
    # The page follows the conversation with the family: who is detained, who reports it,
    # what happened and when, evidence, consent; then the case's own record.
    fieldsets = (
        (
            _("Who is detained"),
            {
                "fields": (
                    "relatives_countries",
                    ("person_gender", "person_ethnicity"),
                    "person_birth_date",
                    ("person_hometown_prefecture", "person_hometown_county"),
                    ("person_hometown_township", "person_hometown_village"),
                    "person_occupation",
                    "person_link",
                )
            },
        ),
        (
            pgettext_lazy("case status", "Status"),
            {"fields": (("status", "status_confirmed_on"),)},
        ),
        (
            _("The case"),
            {
                "fields": (
                    ("entry_number", "organization"),
                    ("evidence_level", "priority"),
                    "summary",
                    "content_language",
                    "notes",
                    "loaded_version",
                )
            },
        ),
        (
            _("Publication"),
            {"fields": (("publication_state", "on_public_site"), "published_at")},
        ),
        (
            pgettext_lazy("case admin section: bookkeeping", "Record"),
            {
                "classes": ("collapse",),
                "fields": (("created_by", "created_at"), "updated_at", "detention_year"),
            },
        ),
    )
    inlines = [
        CaseNameInline,
        CaseCitizenshipInline,
        CaseRelationshipInline,
        CaseEventInline,
        TestimonyInline,
        SourceInline,
        ConsentInline,
        CaseTranslationInline,
    ]
    # Where each fieldset (by its position above) and inline (by its formset prefix) goes.
    page_order = (
        "names",
        "citizenships",
        0,
        "relationships",
        1,
        "events",
        "testimonies",
        "sources",
        "consent",
        2,
        "translations",
        3,
        4,
    )
    delete_roles = ()

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        # Unordered: PersonName's default ordering joins the person table for nothing, and
        # display_name picks the name in Python.
        names = Prefetch("person__names", queryset=PersonName.objects.order_by())
        # Most cases have no translation: the translations' inline reads none then.
        translated = Exists(CaseTranslation.objects.filter(case=OuterRef("pk")))
        # For one case (its page); the list reads it for its rows its own way (CaseChangeList).
        on_site = Exists(PublicEntry.objects.filter(case=OuterRef("pk")))
        return (
            super()
            .get_queryset(request)
            .prefetch_related(names)
            .annotate(has_translations=translated, on_site=on_site)
        )

    def get_changelist(self, request, **kwargs):
        return CaseChangeList

    def get_object(self, request, object_id, from_field=None):
        # The change view reads the case for its workflow steps before Django's change form
        # reads it again: hand the form the same instance, so that the page reads the case,
        # its person, names and consent once.
        cached = request.__dict__.get("_casetracker_case")
        if cached is not None and from_field is None and str(cached.pk) == str(object_id):
            return cached
        case = super().get_object(request, object_id, from_field)
        if case is not None and from_field is None:
            request._casetracker_case = case
        return case

    def get_search_results(self, request, queryset, search_term):
        return search_cases(queryset, search_term, path="person"), False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "organization" not in initial:
            # Most volunteers work for one group: fill it in for them.
            organization = only_organization(request.user)
            if organization is not None:
                initial["organization"] = organization.pk
        return initial

    @admin.display(description=_("name"))
    def name(self, case):
        return case.person.display_name

    @admin.display(description=_("on the public site"), boolean=True)
    def on_public_site(self, case):
        # A new case (the add page) has no annotation and is on no site.
        return bool(getattr(case, "on_site", False))

    @admin.display(description=_("person's other details"))
    def person_link(self, case):
        if case.person_id is None:
            return gettext("Saved with the case. Add photo, ID and contacts afterwards.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:cases_person_change", args=[case.person_id]),
            gettext("Photo, ID numbers, contacts, citizenships and residences"),
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, OnCasePageMixin):
            kwargs["instance"] = obj.person
        if isinstance(inline, CaseNameInline):
            self.names_formset_kwargs(request, kwargs)
        return kwargs

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        relatives_formset = next((f for f in formsets if f.model is Relationship), None)
        relatives = []
        if relatives_formset is not None and obj.person_id is not None:
            # The rows and their labels the relatives' inline reads anyway: no query of its own.
            field = relatives_formset.form.base_fields["relative"]
            labels = relatives_formset._labels_for("relative", field)
            for row in relatives_formset.get_queryset():
                label = labels.get(str(row.relative_id), "")
                relatives.append((row.relative_id, f"{label} · {row.get_kind_display()}"))
        events_formset = next((f for f in formsets if f.model is CaseEvent), None)
        events = []
        if events_formset is not None and obj.pk is not None:
            # The events the events' inline reads anyway: no query of their own.
            events = [(event.pk, _event_label(event)) for event in events_formset.get_queryset()]
        for formset in formsets:
            if isinstance(formset, RelativesFormSet):
                formset.relatives = relatives
                formset.relatives_formset = relatives_formset
            if isinstance(formset, EventsFormSet):
                formset.events = events
        return formsets, inline_instances

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        inlines = {i.formset.prefix: i for i in context.get("inline_admin_formsets", [])}
        if adminform is not None:
            fieldsets = list(adminform)
            sections = []
            for key in self.page_order:
                if isinstance(key, int):
                    if key < len(fieldsets):
                        sections.append({"fieldset": fieldsets[key], "index": key})
                elif key in inlines:
                    sections.append({"inline": inlines.pop(key)})
            sections += [{"inline": inline} for inline in inlines.values()]
            context["page_sections"] = sections
            if context.get("errors"):
                context["error_summary"] = error_summary(
                    adminform.form, context.get("inline_admin_formsets", [])
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        person = obj.person
        moved = not change or "organization" in form.changed_data
        if moved:
            # The detained person belongs to the group that holds their case.
            person.organization = obj.organization
        if moved or any(f"person_{name}" in form.changed_data for name in PERSON_FIELDS):
            # Only when it changed: each save is a history record.
            person.save()
        obj.person = person
        if not change:
            obj.created_by = request.user
        else:
            # CaseForm.clean() locked the row and checked the version the form was loaded at.
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_detention_year()

    # --- the review workflow ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path(
                "<path:object_id>/merge/",
                self.admin_site.admin_view(self.merge_view),
                name="{}_{}_merge".format(*info),
            ),
            *super().get_urls(),
        ]

    def workflow_steps(self, request, case):
        """The steps that start from where the case is: a link for each step the service
        would take, and the reasons for each it would refuse."""
        return [
            {
                "transition": availability.transition,
                "reasons": availability.reasons,
                "url": reverse(
                    "admin:cases_case_workflow", args=[case.pk, availability.transition.name]
                )
                if availability.allowed
                else None,
            }
            for availability in workflow.available_transitions(request.user, case)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self._get_visible_or_404(request, object_id)
        # Only a published case has a public version to differ from. Computed once: the
        # "publish this revision" step asks the same question (publication_differences).
        differences = []
        if request.method == "GET" and case.publication_state == Case.PublicationState.PUBLISHED:
            differences = publication.publication_differences(case)
            case.known_publication_differences = differences
        steps = self.workflow_steps(request, case)
        extra_context = {
            **(extra_context or {}),
            # Steps that move the case forward, then apart those that take it back or off the
            # site; a step the rules forbid is shown disabled with its reasons.
            "workflow_steps": [s for s in steps if not s["transition"].destructive],
            "destructive_workflow_steps": [s for s in steps if s["transition"].destructive],
            "refused_workflow_steps": [step for step in steps if not step["url"]],
            "may_merge": is_site_staff(request.user),
            "public_differences": differences,
            "anonymous_hidden": publication.hidden_by_anonymity(case),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request, object_id, step):
        case = self._get_visible_or_404(request, object_id)
        transition = workflow.TRANSITIONS.get(step)
        if transition is None:
            raise Http404(gettext("No such step."))
        change_url = reverse("admin:cases_case_change", args=[case.pk])
        if request.method == "POST":
            extra = {}
            if transition.asks_for_notes:
                extra["notes"] = request.POST.get("notes", "")[:2000]
            try:
                workflow.apply(user=request.user, case=case, name=step, **extra)
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", None) or [str(error)]:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, transition.done, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{transition.label}: {case}",
            "case": case,
            "transition": transition,
            "problems": workflow.check(request.user, case, transition).reasons,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/cases/case/workflow_confirm.html", context)

    def merge_view(self, request, object_id):
        if not is_site_staff(request.user):
            raise PermissionDenied
        keep = self._get_visible_or_404(request, object_id)
        change_url = reverse("admin:cases_case_change", args=[keep.pk])
        other, error = None, ""
        typed = (request.POST.get("entry_number") or "").strip()[:40]
        number = parse_entry_number(typed)
        if request.method == "POST":
            if number is None:
                error = gettext("Give the entry number of the case to merge into this one.")
            else:
                other = Case.objects.filter(entry_number=number).first()
                if other is None or other.pk == keep.pk:
                    error = gettext("No other case has this entry number.")
                    other = None
            if other is not None and request.POST.get("confirm") == "yes":
                try:
                    merge.merge_cases(keep=keep, merge=other, by=request.user)
                except (ValidationError, PermissionDenied) as failure:
                    self.message_user(request, " ".join(failure.messages), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        gettext("Case %(merged)s was merged into this one and withdrawn.")
                        % {"merged": other},
                        messages.SUCCESS,
                    )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Merge another case into %(case)s") % {"case": keep},
            "case": keep,
            "other": other,
            "error": error,
            "entry_number": typed,
            "change_url": change_url,
        }
        if other is not None:
            context["moves"] = [
                (CaseEvent._meta.verbose_name_plural, other.events.count()),
                (Testimony._meta.verbose_name_plural, other.testimonies.count()),
                (Source._meta.verbose_name_plural, other.sources.count()),
                (PersonName._meta.verbose_name_plural, other.person.names.count()),
                (gettext("advocacy actions"), other.advocacy_actions.count()),
            ]
        return TemplateResponse(request, "admin/cases/case/merge.html", context)

    def history_view(self, request, object_id, extra_context=None):
        from cases.admin.history import case_timeline

        case = self._get_visible_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("History of %(case)s") % {"case": case},
            "case": case,
            "entries": case_timeline(case),
            "change_url": reverse("admin:cases_case_change", args=[case.pk]),
        }
        return TemplateResponse(request, "admin/cases/case/history.html", context)
