"""The volunteers' workspace: one case is one page, scoped to the user's organizations.

Access rules live in orgs.access (roles from Membership); what each workflow step does
lives in cases.services. This module arranges pages, forms and lists.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.admin.changelists import DetentionYearListFilter, OrganizationListFilter, search_cases
from cases.admin.duplicates import DuplicateWarningAdmin
from cases.admin.imports import CaseImportMixin
from cases.admin.inlines import (
    CaseEventInline,
    CaseNameInline,
    CaseRelationshipInline,
    ConsentInline,
    SourceInline,
    TestimonyInline,
)
from cases.admin.scoping import OnCasePageMixin, ScopedChoicesMixin
from cases.models import (
    Case,
    CaseEvent,
    Consent,
    Person,
    PersonName,
    Source,
    Testimony,
)
from cases.numbers import parse_entry_number
from cases.services import merge, workflow
from orgs.access import (
    ALL_ROLES,
    PUBLISHING_ROLES,
    ScopedModelAdmin,
    is_member,
    is_site_staff,
    organizations_for,
)

# --- the case page -----------------------------------------------------------------------

PERSON_FIELDS = [
    "gender",
    "birth_date",
    "birth_date_precision",
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
    person_birth_date = _person_field("birth_date")
    person_birth_date_precision = _person_field("birth_date_precision")
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
            "status",
            "status_confirmed_on",
            "evidence_level",
            "priority",
            "summary",
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
            self.initial["loaded_version"] = self.instance.version

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
        try:
            person.full_clean(validate_unique=False)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                key = f"person_{field}" if field in PERSON_FIELDS else None
                for problem in problems:
                    self.add_error(key, problem)


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


WORKFLOW = {
    "submit": {
        "label": _("Submit for review"),
        "service": workflow.submit_for_review,
        "roles": ALL_ROLES,
        "from": [Case.PublicationState.DRAFT],
        "explain": _("The case goes to a reviewer of the organization, who may publish it."),
        "done": _("The case is in review."),
    },
    "publish": {
        "label": _("Publish"),
        "service": workflow.publish_case,
        "roles": PUBLISHING_ROLES,
        "from": [Case.PublicationState.IN_REVIEW],
        "explain": _(
            "The case appears on the public site, showing what the family's consent allows."
        ),
        "done": _("The case is published."),
    },
    "withdraw": {
        "label": _("Withdraw the case"),
        "service": workflow.withdraw_case,
        "roles": ALL_ROLES,
        "from": [
            Case.PublicationState.DRAFT,
            Case.PublicationState.IN_REVIEW,
            Case.PublicationState.PUBLISHED,
        ],
        "explain": _("The case leaves the public site at once. It is kept, with its history."),
        "done": _("The case is withdrawn."),
    },
    "draft": {
        "label": _("Return to draft"),
        "service": workflow.return_to_draft,
        "roles": PUBLISHING_ROLES,
        "from": [
            Case.PublicationState.IN_REVIEW,
            Case.PublicationState.PUBLISHED,
            Case.PublicationState.WITHDRAWN,
        ],
        "explain": _("The case goes back to its volunteers; it leaves the public site."),
        "done": _("The case is a draft again."),
    },
    "withdraw_consent": {
        "label": _("Withdraw consent"),
        "service": workflow.withdraw_consent,
        "roles": ALL_ROLES,
        "from": None,
        "explain": _(
            "Record that the family withdrew consent. The case leaves the public site at once, "
            "whatever its state, and cannot be published until consent is recorded again."
        ),
        "done": _("Consent is withdrawn; the case is off the public site."),
    },
}


@admin.register(Case)
class CaseAdmin(
    CaseImportMixin, DuplicateWarningAdmin, ScopedChoicesMixin, ScopedModelAdmin, admin.ModelAdmin
):
    form = CaseForm
    change_form_template = "admin/cases/case/change_form.html"
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
    autocomplete_fields = ["organization"]
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
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("entry_number", "organization"),
                    ("status", "status_confirmed_on"),
                    ("evidence_level", "priority"),
                    "loaded_version",
                )
            },
        ),
        (
            _("Detained person"),
            {
                "fields": (
                    "person_link",
                    ("person_gender", "person_ethnicity"),
                    ("person_birth_date", "person_birth_date_precision"),
                    ("person_hometown_prefecture", "person_hometown_county"),
                    ("person_hometown_township", "person_hometown_village"),
                    "person_occupation",
                )
            },
        ),
        (_("Summary and notes"), {"fields": ("summary", "notes")}),
        (
            _("Publication"),
            {"fields": (("publication_state", "on_public_site"), "published_at")},
        ),
        (
            _("Record"),
            {
                "classes": ("collapse",),
                "fields": (("created_by", "created_at"), "updated_at", "detention_year"),
            },
        ),
    )
    inlines = [
        CaseNameInline,
        CaseRelationshipInline,
        CaseEventInline,
        TestimonyInline,
        SourceInline,
        ConsentInline,
    ]
    delete_roles = ()

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        # Unordered: PersonName's default ordering joins the person table for nothing, and
        # display_name picks the name in Python.
        names = Prefetch("person__names", queryset=PersonName.objects.order_by())
        return super().get_queryset(request).prefetch_related(names)

    def get_search_results(self, request, queryset, search_term):
        return search_cases(queryset, search_term, path="person"), False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "organization" not in initial and not is_site_staff(request.user):
            # Most volunteers work for one group: fill it in for them.
            organizations = list(organizations_for(request.user)[:2])
            if len(organizations) == 1:
                initial["organization"] = organizations[0].pk
        return initial

    @admin.display(description=_("name"))
    def name(self, case):
        return case.person.display_name

    @admin.display(description=_("on the public site"), boolean=True)
    def on_public_site(self, case):
        return case.is_public

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

    def save_model(self, request, obj, form, change):
        person = obj.person
        if not change or any(f"person_{name}" in form.changed_data for name in PERSON_FIELDS):
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
        consent = getattr(case, "consent", None)
        steps = []
        for name, step in WORKFLOW.items():
            if name == "withdraw_consent":
                available = consent is not None and consent.withdrawn_at is None
            else:
                available = case.publication_state in step["from"]
            allowed = is_site_staff(request.user) or is_member(request.user, *step["roles"])
            if available and allowed:
                steps.append(
                    {
                        "name": name,
                        "label": step["label"],
                        "url": reverse("admin:cases_case_workflow", args=[case.pk, name]),
                    }
                )
        return steps

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self._get_visible_or_404(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "workflow_steps": self.workflow_steps(request, case),
            "may_merge": is_site_staff(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request, object_id, step):
        case = self._get_visible_or_404(request, object_id)
        if step not in WORKFLOW:
            raise Http404(gettext("No such step."))
        definition = WORKFLOW[step]
        change_url = reverse("admin:cases_case_change", args=[case.pk])
        if request.method == "POST":
            try:
                if step == "withdraw_consent":
                    notes = request.POST.get("notes", "")[:2000]
                    definition["service"](case=case, by=request.user, notes=notes)
                else:
                    definition["service"](case=case, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", None) or [str(error)]:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, definition["done"], messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        problems = workflow.publication_problems(case) if step == "publish" else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{definition['label']}: {case}",
            "case": case,
            "step": step,
            "definition": definition,
            "problems": problems,
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
