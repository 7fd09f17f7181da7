"""The staff summary report: counts of a filtered set of cases along the dimensions the groups
report on. One aggregate query per dimension, whatever the number of cases."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.choices import choice_labels
from cases.models import Case, Citizenship, Ethnicity, Prefecture

NOT_RECORDED = _("not recorded")


@dataclass
class Section:
    key: str
    title: str
    rows: list  # (label, count)
    note: str = ""


@dataclass
class Summary:
    total: int
    sections: list


def _grouped(queryset, path, labels=None, *, by_key=False):
    counts = queryset.order_by().values(path).annotate(count=Count("pk"))
    rows = []
    for row in counts:
        key = row[path]
        label = labels.get(key, key) if labels else key
        rows.append((key, NOT_RECORDED if key in (None, "") else label, row["count"]))
    if by_key:
        rows.sort(key=lambda r: (r[0] is None, r[0] if r[0] is not None else 0))
    else:
        rows.sort(key=lambda r: (-r[2], str(r[1])))
    return [(label, count) for _key, label, count in rows]


def _citizenships(queryset):
    counts = (
        Citizenship.objects.filter(person__in=queryset.values("person"))
        .values("country__name")
        .annotate(count=Count("person", distinct=True))
        .order_by("-count", "country__name")
    )
    rows = [(row["country__name"], row["count"]) for row in counts]
    without = (
        queryset.order_by()
        .filter(~Exists(Citizenship.objects.filter(person=OuterRef("person"))))
        .count()
    )
    if without:
        rows.append((NOT_RECORDED, without))
    return rows


def summary(queryset):
    """Counts of `queryset` (a filtered set of cases) by each reported dimension."""
    return Summary(
        total=queryset.order_by().count(),
        sections=[
            Section(
                "status",
                pgettext_lazy("case status", "Status"),
                _grouped(queryset, "status", choice_labels(Case.Status)),
            ),
            Section(
                "ethnicity",
                _("Ethnicity"),
                _grouped(queryset, "person__ethnicity", choice_labels(Ethnicity)),
            ),
            Section(
                "evidence_level",
                _("Evidence level"),
                _grouped(
                    queryset, "evidence_level", choice_labels(Case.EvidenceLevel), by_key=True
                ),
            ),
            Section(
                "detention_year",
                _("Year of detention"),
                _grouped(queryset, "detention_year", by_key=True),
            ),
            Section(
                "prefecture",
                _("Hometown prefecture"),
                _grouped(queryset, "person__hometown_prefecture", choice_labels(Prefecture)),
            ),
            Section(
                "citizenship",
                _("Citizenship"),
                _citizenships(queryset),
                note=_("A person with several citizenships counts once under each."),
            ),
            Section("organization", _("Organization"), _grouped(queryset, "organization__name")),
        ],
    )
