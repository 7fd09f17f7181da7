"""The volunteers' workspace: one case is one page, scoped to the user's organizations.

Access rules live in casetracker.access (roles from Membership); what each workflow step does
lives in cases.services. This module arranges pages, forms and lists.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases import services
from cases.duplicates import likely_duplicates
from cases.imports.admin import CaseImportMixin
from cases.models import (
    Case,
    CaseEvent,
    Citizenship,
    Consent,
    Facility,
    Family,
    Person,
    PersonName,
    Relationship,
    Residence,
    Source,
    Testimony,
)
from cases.search import name_matches
from cases.uploads import SERVED_FILE_WIDGETS
from casetracker.access import (
    ALL_ROLES,
    PUBLISHING_ROLES,
    OrganizationScopedAdmin,
    ScopedModelAdmin,
    is_member,
    is_site_staff,
    member_organization_ids,
    organizations_for,
)
from orgs.models import Membership, Organization

# --- what a member may see ---------------------------------------------------------------


def visible_people(user):
    """People a member may see: those tied to a case of their groups (the detained person, a
    testifier, whoever gave consent, a relative), and those a member of their groups entered."""
    if is_site_staff(user):
        return Person.objects.all()
    groups = member_organization_ids(user)
    colleagues = Membership.objects.filter(organization__in=groups).values("user")
    person = OuterRef("pk")
    # Correlated EXISTS: checking one person (a change page, a choice, an autocomplete label)
    # is a few index probes, where IN-subqueries would first collect every id of the group.
    return Person.objects.filter(
        Exists(Case.objects.filter(person=person, organization__in=groups))
        | Exists(Testimony.objects.filter(testifier=person, case__organization__in=groups))
        | Exists(Consent.objects.filter(given_by=person, case__organization__in=groups))
        | Exists(
            Relationship.objects.filter(relative=person, person__case__organization__in=groups)
        )
        | Exists(Person.history.filter(id=person, history_type="+", history_user__in=colleagues))
    )


def scope_related_choices(request, db_field, formfield):
    """Limit a foreign-key or many-to-many field to what the user may see: a forged POST with
    another group's id is then refused as an invalid choice."""
    if formfield is None or is_site_staff(request.user):
        return formfield
    model = db_field.remote_field.model
    if model is Organization:
        formfield.queryset = organizations_for(request.user)
    elif model is Person:
        formfield.queryset = visible_people(request.user)
    elif model is Case:
        formfield.queryset = Case.objects.visible_to(request.user)
    elif model is Family:
        formfield.queryset = Family.objects.filter(
            pk__in=visible_people(request.user).exclude(family=None).values("family")
        )
    return formfield


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


class BatchedLabelsFormSet(BaseInlineFormSet):
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


class ScopedChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BatchedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return scope_related_choices(request, db_field, field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return scope_related_choices(request, db_field, field)


class ScopedInline(ScopedChoicesMixin, OrganizationScopedAdmin):
    delete_roles = ALL_ROLES

    def may_touch(self, request, obj, roles):
        # `obj` is the parent, which the parent admin found through its scoped queryset (or
        # answered 404): checking it again here would cost a query per inline.
        return True


class CaseRowInline(ScopedInline):
    """Rows that hang from a case (events, testimonies, sources, consent)."""

    def scope_queryset(self, request, queryset):
        return queryset.filter(case__in=Case.objects.visible_to(request.user))


class PersonRowInline(ScopedInline):
    """Rows that hang from a person (names, relatives, citizenships, residences)."""

    def scope_queryset(self, request, queryset):
        return queryset.filter(person__in=visible_people(request.user))


class OnCasePageMixin:
    """An inline of rows that belong to the case's person, shown on the case page.

    Django's inlines need a foreign key to the page's model; these point at Person, so the
    inline is built for Person and CaseAdmin.get_formset_kwargs hands it the case's person.
    """

    def __init__(self, parent_model, admin_site):
        super().__init__(Person, admin_site)


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
        shown = visible_people(user) | Person.objects.filter(case__in=Case.objects.public())
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


# --- inlines -----------------------------------------------------------------------------


class PersonNameInline(PersonRowInline, admin.TabularInline):
    model = PersonName
    formset = PersonNameFormSet
    extra = 1
    fields = ("value", "script", "language", "kind")


class CaseNameInline(OnCasePageMixin, PersonNameInline):
    verbose_name_plural = _("names of the detained person (in every script)")


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


class CaseRelationshipInline(OnCasePageMixin, RelationshipInline):
    verbose_name_plural = _("relatives of the detained person")


class CaseEventInline(CaseRowInline, admin.StackedInline):
    model = CaseEvent
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["facility"]
    fields = (
        ("kind", "facility", "place"),
        ("date_start", "date_start_precision"),
        ("date_end", "date_end_precision"),
        ("official_reason", "sentence_months"),
        "suspected_reasons",
        "description",
        "notes",
    )


class TestimonyInline(CaseRowInline, admin.StackedInline):
    model = Testimony
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["testifier"]
    formfield_overrides = SERVED_FILE_WIDGETS


class SourceInline(CaseRowInline, admin.StackedInline):
    model = Source
    extra = 0
    readonly_fields = ("sha256",)
    formfield_overrides = SERVED_FILE_WIDGETS


class ConsentInline(CaseRowInline, admin.StackedInline):
    model = Consent
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["given_by"]
    # Withdrawal is its own explicit action (the "Withdraw consent" button), recorded with who
    # and when; a checkbox here could be ticked by mistake or quietly unticked.
    readonly_fields = ("withdrawn_at",)
    verbose_name_plural = _("consent of the family")


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


class OrganizationListFilter(admin.SimpleListFilter):
    title = _("organization")
    parameter_name = "organization"

    def lookups(self, request, model_admin):
        return [(str(org.pk), org.name) for org in organizations_for(request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit() or len(value) > 18:
            return queryset.none()
        return queryset.filter(organization_id=int(value))


class DetentionYearListFilter(admin.SimpleListFilter):
    title = _("year of detention")
    parameter_name = "detention_year"

    def lookups(self, request, model_admin):
        # The span of years over all cases: two reads at the ends of the detention_year index,
        # where a DISTINCT over a group's cases would scan them all on every page. A year is
        # no secret; which group holds cases in it is not shown.
        span = Case.objects.aggregate(first=Min("detention_year"), last=Max("detention_year"))
        if span["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(span["last"], span["first"] - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit() or len(value) > 4:
            return queryset.none()
        return queryset.filter(detention_year=int(value))


def search_cases(queryset, term, *, path):
    """Any name in any script (on the folded search key), or an entry number ("#123")."""
    term = term.strip()
    if not term:
        return queryset
    condition = Q(name_matches(term, path=path))
    number = term.removeprefix("#").strip()
    if number.isdigit() and len(number) <= 18:
        condition |= Q(entry_number=int(number))
    return queryset.filter(condition)


WORKFLOW = {
    "submit": {
        "label": _("Submit for review"),
        "service": services.submit_for_review,
        "roles": ALL_ROLES,
        "from": [Case.PublicationState.DRAFT],
        "explain": _("The case goes to a reviewer of the organization, who may publish it."),
        "done": _("The case is in review."),
    },
    "publish": {
        "label": _("Publish"),
        "service": services.publish_case,
        "roles": PUBLISHING_ROLES,
        "from": [Case.PublicationState.IN_REVIEW],
        "explain": _(
            "The case appears on the public site, showing what the family's consent allows."
        ),
        "done": _("The case is published."),
    },
    "withdraw": {
        "label": _("Withdraw the case"),
        "service": services.withdraw_case,
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
        "service": services.return_to_draft,
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
        "service": services.withdraw_consent,
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
        problems = services.publication_problems(case) if step == "publish" else []
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
        number = (request.POST.get("entry_number") or "").strip().removeprefix("#")
        if request.method == "POST":
            if not number.isdigit() or len(number) > 18:
                error = gettext("Give the entry number of the case to merge into this one.")
            else:
                other = Case.objects.filter(entry_number=int(number)).first()
                if other is None or other.pk == keep.pk:
                    error = gettext("No other case has this entry number.")
                    other = None
            if other is not None and request.POST.get("confirm") == "yes":
                try:
                    services.merge_cases(keep=keep, merge=other, by=request.user)
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
            "entry_number": number,
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
        from cases.history import case_timeline

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


# --- people and the rest ------------------------------------------------------------------


class LookaheadPaginator(Paginator):
    """Counts only as far as the page after the one shown.

    A volunteer of a large group may see 100,000 people, and telling who is visible is a
    check over several tables per person: an exact count would cost seconds on every page.
    """

    counts_ahead_only = True

    def __init__(self, *args, page_number=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_number = page_number

    @cached_property
    def _ahead(self):
        offset = (self.page_number - 1) * self.per_page
        rows = self.object_list.values_list("pk", flat=True)[offset : offset + self.per_page + 1]
        return offset, list(rows)

    @cached_property
    def count(self):
        offset, rows = self._ahead
        return offset + len(rows)

    def page(self, number):
        number = self.validate_number(number)
        if number != self.page_number:
            return super().page(number)
        # The rows are known by now: fetch them by primary key instead of running the
        # visibility check over the table a second time.
        pks = self._ahead[1][: self.per_page]
        return self._get_page(self.object_list.filter(pk__in=pks), number, self)


@admin.register(Person)
class PersonAdmin(DuplicateWarningAdmin, ScopedChoicesMixin, ScopedModelAdmin, SimpleHistoryAdmin):
    change_form_template = "admin/cases/person/change_form.html"
    list_display = ("name", "gender", "ethnicity", "birth_year", "hometown_prefecture", "case")
    list_filter = ("ethnicity", "gender", "hometown_prefecture")
    list_select_related = ("case",)
    search_fields = ("names__search_key",)
    search_help_text = _("A name in any script or spelling.")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # "Show all" would list every visible person at once.
    list_max_show_all = 0
    autocomplete_fields = ["family"]
    readonly_fields = ("case_link",)
    formfield_overrides = SERVED_FILE_WIDGETS
    inlines = [PersonNameInline, CitizenshipInline, ResidenceInline, RelationshipInline]

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk__in=visible_people(request.user).values("pk"))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(name_matches(search_term, path="pk")), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if is_site_staff(request.user):
            return super().get_paginator(
                request, queryset, per_page, orphans, allow_empty_first_page
            )
        page = request.GET.get(PAGE_VAR, "1")
        page_number = int(page) if page.isdigit() and 0 < len(page) < 7 and int(page) > 0 else 1
        return LookaheadPaginator(
            queryset, per_page, orphans, allow_empty_first_page, page_number=page_number
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PersonNameInline):
            self.names_formset_kwargs(request, kwargs)
        return kwargs

    @admin.display(description=_("name"))
    def name(self, person):
        return person.display_name or str(person)

    @admin.display(description=_("case"))
    def case_link(self, person):
        case = getattr(person, "case", None) if person.pk else None
        if case is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:cases_case_change", args=[case.pk]), case
        )


@admin.register(Facility)
class FacilityAdmin(ScopedModelAdmin, admin.ModelAdmin):
    """Facilities are shared reference data: every member may see, add and correct them."""

    list_display = ("name", "name_zh", "kind", "prefecture", "county")
    list_filter = ("kind", "prefecture")
    search_fields = ("name", "name_zh", "county")

    def scope_queryset(self, request, queryset):
        return queryset


@admin.register(Family)
class FamilyAdmin(ScopedChoicesMixin, ScopedModelAdmin, SimpleHistoryAdmin):
    search_fields = ("label",)
    list_display = ("label", "created_at")

    def scope_queryset(self, request, queryset):
        colleagues = Membership.objects.filter(
            organization__in=request.user.memberships.values("organization")
        ).values("user")
        return queryset.filter(
            Q(pk__in=visible_people(request.user).exclude(family=None).values("family"))
            | Q(
                pk__in=Family.history.filter(history_type="+", history_user__in=colleagues).values(
                    "id"
                )
            )
        )


# Submissions: the queue's admin is cases.admin_submissions (registered once, there).
