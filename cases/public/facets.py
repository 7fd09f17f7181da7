"""Counts beside the public list's filter options, and the active filters as removable chips.

Each option's count is the number of public entries the list would show with that option, given
every *other* active filter: the usual faceted search. Checking one more status adds that many
cases to the list; a prefecture's count under "status: camp" is the camps of that prefecture.
Counting each option within all active filters instead would show 0 beside every other choice
of a filter already in use, which says nothing; counting over every entry, whatever the filters,
would promise results that the other filters then take away.

Costs: on the unfiltered list the counts are the cached headline figures
(`cases.public.figures`), so it runs no aggregate at all. Filtered, one GROUP BY counts every
filter on a column of the entries together, and one (or two, when a country filter is in use)
the countries: a fixed number of queries whatever the number of options. The list's page cache
stores the page with its counts, so a URL is counted once per version of the public record.

Options with no case are left out (a checked one stays, with its 0): on a phone that turns fifty
checkboxes into the few that lead somewhere.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext_lazy

from cases.models import PublicEntry, PublicEntryCountry
from cases.public.figures import public_figures

# Parameters that change neither the cases listed nor the counts.
NOT_FILTERS = ("sort", "per_page")
# Parameters of the list's position: a removed chip starts from the first page again.
POSITION = ("page", "after", "before")


# Filters on a column of the public entries: counted together, in one GROUP BY.
COLUMN_FACETS = {
    "status": "status",
    "ethnicity": "ethnicity",
    "gender": "gender",
    "organization": "organization__slug",
    "prefecture": "prefecture",
    "evidence_level": "evidence_level",
}
# Filters on the entries' countries: one GROUP BY over their rows.
COUNTRY_FACETS = {
    "citizenship": PublicEntryCountry.Relation.CITIZEN,
    "relatives_country": PublicEntryCountry.Relation.RELATIVES,
}
# The same counts over every entry, in the cached headline figures.
FIGURES = {
    "status": "by_status",
    "ethnicity": "by_ethnicity",
    "gender": "by_gender",
    "organization": "by_organization",
    "prefecture": "by_prefecture",
    "evidence_level": "by_evidence",
    "citizenship": "by_citizenship",
    "relatives_country": "by_relatives_country",
}


def _is_set(value: Any) -> bool:
    return value not in (None, "", [])


def active_filters(filterset) -> list[str]:
    """The names of the filters that narrow the list, in the form's order."""
    data = filterset.form.cleaned_data
    return [
        name for name in filterset.filters if name not in NOT_FILTERS and _is_set(data.get(name))
    ]


def queryset_without(filterset, *skip: str) -> QuerySet[PublicEntry]:
    """The public entries every active filter but those in `skip` lets through, unordered."""
    queryset = PublicEntry.objects.all()
    for name, value in filterset.form.cleaned_data.items():
        if name in NOT_FILTERS or name in skip or not _is_set(value):
            continue
        queryset = filterset.filters[name].filter(queryset, value)
    return queryset.order_by()


def _chosen(value: Any, key: str = "") -> set[str]:
    """The chosen options of a filter as strings, as the counts are keyed."""
    if not _is_set(value):
        return set()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(getattr(v, key) if key else v) for v in values}


def _column_counts(filterset, active: list[str]) -> dict[str, dict[str, int]]:
    """Every column facet in one query: the entries that the filters on other things let
    through, grouped by all the facet columns at once; each facet then adds up the groups that
    every other facet's choice lets through."""
    data = filterset.form.cleaned_data
    keys = {"organization": "slug"}
    wanted = {
        name: _chosen(data[name], keys.get(name, "")) for name in COLUMN_FACETS if name in active
    }
    rows = (
        queryset_without(filterset, *COLUMN_FACETS)
        .values_list(*COLUMN_FACETS.values())
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, Counter[str]] = {name: Counter() for name in COLUMN_FACETS}
    for *values, n in rows:
        row = dict(zip(COLUMN_FACETS, map(str, values), strict=True))
        misses = [name for name, chosen in wanted.items() if row[name] not in chosen]
        if len(misses) > 1:
            continue
        for name in misses or COLUMN_FACETS:
            counts[name][row[name]] += n
    return {name: dict(counter) for name, counter in counts.items()}


def _country_counts(queryset: QuerySet[PublicEntry], relations) -> dict[str, dict[str, int]]:
    rows = (
        PublicEntryCountry.objects.filter(relation__in=relations, entry__in=queryset.values("pk"))
        .values_list("relation", "country_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {relation: {} for relation in relations}
    for relation, code, n in rows:
        counts[relation][code] = n
    return counts


def facet_counts(filterset) -> dict[str, dict[str, int]]:
    """For each filter with options, the number of public entries behind each option, within
    the other active filters (see the module's docstring): none for an unfiltered list (the
    cached figures), one query for the column filters, one or two for the countries."""
    active = active_filters(filterset)
    if not active:
        figures = public_figures()
        return {
            name: {str(value): n for value, n in figures[key].items()}
            for name, key in FIGURES.items()
        }
    counts = _column_counts(filterset, active)
    countries_active = [name for name in COUNTRY_FACETS if name in active]
    if not countries_active:
        by_relation = _country_counts(queryset_without(filterset), list(COUNTRY_FACETS.values()))
        for name, relation in COUNTRY_FACETS.items():
            counts[name] = by_relation[relation]
    else:
        for name, relation in COUNTRY_FACETS.items():
            counts[name] = _country_counts(queryset_without(filterset, name), [relation])[relation]
    return counts


def with_count(label: Any, count: int) -> str:
    return gettext("%(label)s (%(count)s)") % {
        "label": label,
        "count": number_format(count, force_grouping=True),
    }


def show_counts(filterset, counts: dict[str, dict[str, int]]) -> None:
    """Write each option's count into its label; leave out options with none, unless chosen."""
    form = filterset.form
    for name, by_value in counts.items():
        field = form.fields[name]
        key = getattr(field, "to_field_name", None) or ""
        chosen = _chosen(form.cleaned_data.get(name), key)
        if isinstance(field, forms.ModelChoiceField):
            keep = [value for value, n in by_value.items() if n] + sorted(chosen)
            field.queryset = field.queryset.filter(**{f"{key}__in": keep})
            field.label_from_instance = lambda obj, by_value=by_value, key=key: with_count(
                obj, by_value.get(str(getattr(obj, key)), 0)
            )
        else:
            field.choices = [
                (value, with_count(label, by_value.get(str(value), 0)))
                for value, label in field.choices
                if value != "" and (by_value.get(str(value)) or str(value) in chosen)
            ]


def add_counts(filterset) -> None:
    """Counts beside the options of a valid filter form."""
    show_counts(filterset, facet_counts(filterset))


def _without(query: QueryDict, name: str, value: str | None = None) -> str:
    query = query.copy()
    for position in POSITION:
        query.pop(position, None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    return query.urlencode()


SEARCH_CHIP = pgettext_lazy("the search words, as an active filter", "Search")


def chips(filterset, query: QueryDict) -> list[dict[str, str]]:
    """The active filters as chips, each with the list's query string without it.

    Read before `show_counts` rewrites the labels: a chip says "Status: camp", not its count."""
    form = filterset.form
    data = form.cleaned_data
    result = []
    for name in active_filters(filterset):
        field = form.fields[name]
        value = data[name]
        if name == "q":
            result.append(
                {
                    "name": name,
                    "label": str(SEARCH_CHIP),
                    "value": value,
                    "query": _without(query, name),
                }
            )
            continue
        labels = {str(v): str(label) for v, label in getattr(field, "choices", [])}
        if isinstance(field, forms.MultipleChoiceField):
            # One chip per checked option, each taking only its own value away.
            for item in value:
                result.append(
                    {
                        "name": name,
                        "label": str(field.label),
                        "value": labels.get(str(item), str(item)),
                        "query": _without(query, name, str(item)),
                    }
                )
            continue
        if isinstance(value, Decimal):
            shown = str(int(value))
        elif isinstance(field, forms.ModelChoiceField):
            shown = str(value)
        else:
            shown = labels.get(str(value), str(value))
        result.append(
            {
                "name": name,
                "label": str(field.label),
                "value": shown,
                "query": _without(query, name),
            }
        )
    return result


def clean_query(query: QueryDict, defaults: dict[str, str] | None = None) -> QueryDict | None:
    """The query without its empty parameters, or None when it has none: a form sent without
    JavaScript names every field, and the shared URL should not. Such a query also loses the
    parameters at their default value (`defaults`), which the form sends as well; a URL that
    names a default on purpose, with no empty parameter, is left as it is."""
    if not any(value == "" for _name, values in query.lists() for value in values):
        return None
    defaults = defaults or {}
    clean = QueryDict(mutable=True)
    for name, values in query.lists():
        kept = [value for value in values if value != "" and defaults.get(name) != value]
        if kept:
            clean.setlist(name, kept)
    return clean
