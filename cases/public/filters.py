"""The case lists' filters: `CaseFilter` over the working record for the staff reports (which
subclass it with the private filters), and `PublicCaseFilter` over the public entries for the
public list and its open-data download: the same parameters, so a staff member and a visitor
share one URL language.

Every filter state lives in the URL. A bad value is a form error shown to the user, never a 500:
views call `filterset.is_valid()` and show `filterset.errors`.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import (
    Case,
    Citizenship,
    Ethnicity,
    Person,
    Prefecture,
    PublicEntry,
    PublicEntryCountry,
    Relationship,
    Residence,
)
from cases.numbers import parse_entry_number
from cases.search import name_search, name_search_rank
from orgs.models import Country, Organization

YEAR_BOUNDS = {"min_value": 1990, "max_value": 2100}
# Parameters that shape a list without narrowing it: the name search has its own box, and the
# order and page size choose how the same cases are shown.
NOT_COUNTED_AS_FILTERS = ("q", "sort", "per_page")


def active_filter_count(filterset) -> int:
    """How many filters of the collapsible panel narrow the list, for its summary line
    ("Filters · 2 active"), so that a closed panel still says the list is filtered."""
    data = getattr(filterset.form, "cleaned_data", {})
    return sum(
        1
        for name in filterset.filters
        if name not in NOT_COUNTED_AS_FILTERS and data.get(name) not in (None, "", [], ())
    )


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or entry number"),
        method="filter_name",
        max_length=200,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("case status", "Status"),
        choices=Case.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    ethnicity = django_filters.MultipleChoiceFilter(
        field_name="person__ethnicity",
        label=_("Ethnicity"),
        choices=Ethnicity.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    gender = django_filters.ChoiceFilter(
        field_name="person__gender", label=_("Gender"), choices=Person.Gender.choices
    )
    citizenship = django_filters.ModelChoiceFilter(
        label=_("Citizen of"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_citizenship",
    )
    relatives_country = django_filters.ModelChoiceFilter(
        label=_("Relatives live in"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_relatives_country",
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.all(), to_field_name="slug"
    )
    prefecture = django_filters.MultipleChoiceFilter(
        field_name="person__hometown_prefecture",
        label=_("Prefecture"),
        choices=Prefecture.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    detained_from = django_filters.NumberFilter(
        field_name="detention_year", lookup_expr="gte", label=_("Detained from (year)")
    )
    detained_to = django_filters.NumberFilter(
        field_name="detention_year", lookup_expr="lte", label=_("Detained until (year)")
    )
    evidence_level = django_filters.MultipleChoiceFilter(
        label=_("Evidence level"),
        choices=Case.EvidenceLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("entry_number", "entry"),
            ("detention_year", "detained"),
            ("published_at", "published"),
            ("updated_at", "updated"),
            ("evidence_level", "evidence"),
        ),
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("detained_from", "detained_to"):
            field = self.form.fields[name]
            field.min_value, field.max_value = YEAR_BOUNDS["min_value"], YEAR_BOUNDS["max_value"]
            field.validators.extend(forms.IntegerField(**YEAR_BOUNDS).validators)

    @property
    def active_count(self):
        return active_filter_count(self)

    def filter_name(self, queryset, name, value):
        value = value.strip()
        number = parse_entry_number(value)
        if number is not None:
            return queryset.filter(entry_number=number)
        queryset = queryset.filter(name_search(value, path="person"))
        rank = name_search_rank(value, path="person")
        if rank is not None:
            # The closest spellings first, unless the visitor chose an order (`sort` comes after).
            queryset = queryset.annotate(search_rank=rank).order_by("-search_rank", "-entry_number")
        return queryset

    def filter_citizenship(self, queryset, name, country):
        return queryset.filter(
            Exists(Citizenship.objects.filter(person=OuterRef("person"), country=country))
        )

    def filter_relatives_country(self, queryset, name, country):
        """A relative on record lives there now, or the case page says the family does (staff
        lists only: the public list reads published residences)."""
        relatives_there = Residence.objects.filter(country=country, until__isnull=True).values(
            "person"
        )
        said_on_the_case = Case.relatives_countries.through.objects.filter(
            case=OuterRef("pk"), country=country
        )
        return queryset.filter(
            Exists(
                Relationship.objects.filter(person=OuterRef("person"), relative__in=relatives_there)
            )
            | Exists(said_on_the_case)
        )


PAGE_SIZES = (20, 50, 100)


class PublicCaseFilter(django_filters.FilterSet):
    """The public list's filters, over public entries only: the same parameters as the staff
    list (CaseFilter), read from the columns that publication wrote, so no filter joins the
    working record. Plus the page size, validated like any other parameter."""

    q = django_filters.CharFilter(
        label=_("Name or entry number"),
        method="filter_name",
        max_length=200,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("case status", "Status"),
        choices=Case.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    ethnicity = django_filters.MultipleChoiceFilter(
        label=_("Ethnicity"), choices=Ethnicity.choices, widget=forms.CheckboxSelectMultiple
    )
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Person.Gender.choices)
    citizenship = django_filters.ModelChoiceFilter(
        label=_("Citizen of"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
    )
    relatives_country = django_filters.ModelChoiceFilter(
        label=_("Relatives live in"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.all(), to_field_name="slug"
    )
    prefecture = django_filters.MultipleChoiceFilter(
        label=_("Prefecture"), choices=Prefecture.choices, widget=forms.CheckboxSelectMultiple
    )
    detained_from = django_filters.NumberFilter(
        field_name="detention_year", lookup_expr="gte", label=_("Detained from (year)")
    )
    detained_to = django_filters.NumberFilter(
        field_name="detention_year", lookup_expr="lte", label=_("Detained until (year)")
    )
    evidence_level = django_filters.MultipleChoiceFilter(
        label=_("Evidence level"),
        choices=Case.EvidenceLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("entry_number", "entry"),
            ("detention_year", "detained"),
            ("first_published_at", "published"),
            ("published_at", "updated"),
            ("evidence_level", "evidence"),
        ),
    )
    per_page = django_filters.TypedChoiceFilter(
        label=_("Cases per page"),
        choices=[(n, n) for n in PAGE_SIZES],
        coerce=int,
        empty_value=PAGE_SIZES[0],
        method="keep_all",
    )

    COUNTRY_RELATIONS = {
        "citizenship": PublicEntryCountry.Relation.CITIZEN,
        "relatives_country": PublicEntryCountry.Relation.RELATIVES,
    }

    class Meta:
        model = PublicEntry
        fields = []

    # Values that say nothing a missing parameter does not: the form leaves them out of the URL.
    DEFAULTS = {"per_page": str(PAGE_SIZES[0])}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("detained_from", "detained_to"):
            field = self.form.fields[name]
            field.min_value, field.max_value = YEAR_BOUNDS["min_value"], YEAR_BOUNDS["max_value"]
            field.validators.extend(forms.IntegerField(**YEAR_BOUNDS).validators)
        for name, value in self.DEFAULTS.items():
            self.form.fields[name].widget.attrs["data-default"] = value

    def keep_all(self, queryset, name, value):
        return queryset

    def filter_name(self, queryset, name, value):
        """An entry number, or names in any script. A name finds only entries whose consent
        shows the name (only those have a search document): otherwise a search would tell who
        an anonymous entry is."""
        number = parse_entry_number(value)
        if number is not None:
            return queryset.filter(entry_number=number)
        text = value.strip()
        # The counts beside the filters filter again by the same words: the matching entries
        # are looked up once per page.
        found = self.__dict__.setdefault("_search_keys", {})
        if text not in found:
            found[text] = queryset.search_keys(text)
        return queryset.search(text, keys=found[text])

    def filter_country(self, queryset, name, country):
        return queryset.filter(
            Exists(
                PublicEntryCountry.objects.filter(
                    entry=OuterRef("pk"),
                    relation=self.COUNTRY_RELATIONS[name],
                    country_code=country.code,
                )
            )
        )

    @property
    def is_filtered(self):
        """Whether any filter narrows the list (the page size and the order do not)."""
        data = self.form.cleaned_data
        return any(
            data.get(name) not in (None, "", [])
            for name in self.filters
            if name not in ("per_page", "sort")
        )
