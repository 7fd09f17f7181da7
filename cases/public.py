"""What the public may see, declared in one place, and the only code that reads it.

`PUBLIC_FIELDS` is the allowlist: for each model (by its label), the fields that may appear on a
public page, in a public download or in public search. A field not listed here is private, so a
field added to a model stays off the public site until someone adds it here on purpose.

Public views never hand model instances to templates. They hand over the plain dicts built by
the functions below, which read every value through `_read()`; reading a field that is not in
`PUBLIC_FIELDS` raises, so a slip in this module fails the tests instead of leaking.

On top of the allowlist, the family's consent decides how much of the person shows:
- anonymous: entry number, gender, birth year, ethnicity, region (prefecture) and status;
- name only: also the names in every script, hometown county and occupation;
- full name and photo: also the photo, when the photo consent is given.
Relatives are described by their relationship and citizenship ("a daughter, citizen of
Kazakhstan"); only the person who gave the consent may be named, and only when the consent says so.
"""

import functools
import itertools

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases.models import (
    Case,
    CaseEvent,
    Citizenship,
    Consent,
    PersonName,
    Relationship,
    Source,
    Testimony,
    Visibility,
)
from casetracker.dates import format_partial_date
from orgs.models import AdvocacyAction

PUBLIC_FIELDS = {
    "cases.case": (
        "entry_number",
        "status",
        "status_confirmed_on",
        "evidence_level",
        "summary",
        "detention_year",
        "published_at",
        "updated_at",
        "organization",
        "person",
    ),
    # Only what an anonymous entry shows; IDENTIFYING_FIELDS below are added with consent.
    "cases.person": (
        "gender",
        "birth_date",
        "birth_date_precision",
        "ethnicity",
        "hometown_prefecture",
        "hometown_county",
        "occupation",
        "photo",
    ),
    "cases.personname": ("value", "script", "language", "kind"),
    "cases.citizenship": ("country",),
    "cases.relationship": ("kind",),
    "cases.caseevent": (
        "kind",
        "date_start",
        "date_start_precision",
        "date_end",
        "date_end_precision",
        "facility",
        "place",
        "official_reason",
        "suspected_reasons",
        "sentence_months",
        "description",
    ),
    "cases.facility": ("name", "name_zh", "kind", "prefecture", "county"),
    # Only rows with visibility "public" (see public_sources / public_testimonies).
    "cases.source": (
        "kind",
        "title",
        "description",
        "url",
        "archived_url",
        "published_on",
        "reliability",
    ),
    "cases.testimony": ("relationship", "given_on", "language", "medium", "link"),
    "orgs.country": ("code", "name", "name_ru", "name_local", "notes"),
    "orgs.organization": ("name", "slug", "country", "city", "kind", "description", "website"),
    # Only actions with is_public set.
    "orgs.advocacyaction": (
        "organization",
        "kind",
        "title",
        "date",
        "date_precision",
        "addressee",
        "reference_number",
        "description",
        "outcome",
    ),
}

# Fields of the detained person that only a consent naming them lets through.
IDENTIFYING_FIELDS = {"cases.person": {"hometown_county", "occupation", "photo"}}

OPEN_DATA_LICENCE = gettext_lazy(
    "Creative Commons Attribution 4.0 International (CC BY 4.0): share and adapt with credit "
    "to casetracker and the group that holds each case."
)
OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# The open-data columns, in order, with what each means (shown on the open-data page).
OPEN_DATA_COLUMNS = (
    ("entry_number", gettext_lazy("The case's public entry number; stable and never reused.")),
    ("url", gettext_lazy("Address of the case page.")),
    ("identity", gettext_lazy("What the family agreed to show: full, name_only or anonymous.")),
    ("name_latin", gettext_lazy("Primary name in Latin script (empty when anonymous).")),
    ("name_cyrillic", gettext_lazy("Primary name in Cyrillic script (empty when anonymous).")),
    ("name_chinese", gettext_lazy("Name in Chinese characters (empty when anonymous).")),
    ("name_uyghur", gettext_lazy("Name in Uyghur Arabic script (empty when anonymous).")),
    ("gender", gettext_lazy("female, male or unknown.")),
    ("birth_year", gettext_lazy("Year of birth, when known.")),
    ("ethnicity", gettext_lazy("Code of the ethnicity, such as kazakh or uyghur.")),
    ("prefecture", gettext_lazy("Code of the hometown prefecture in Xinjiang.")),
    ("citizenships", gettext_lazy("ISO 3166 codes of the person's citizenships, space-separated.")),
    ("status", gettext_lazy("Code of the current status, such as camp or imprisoned.")),
    ("status_confirmed_on", gettext_lazy("Date the status was last confirmed (YYYY-MM-DD).")),
    ("detention_year", gettext_lazy("Year of the first known detention.")),
    ("evidence_level", gettext_lazy("0 (unreviewed) to 4 (official or primary document).")),
    ("organization", gettext_lazy("Slug of the advocacy group that holds the case.")),
    ("published_at", gettext_lazy("When the case was first published (ISO 8601).")),
    ("updated_at", gettext_lazy("When the entry last changed (ISO 8601).")),
)

EVIDENCE_EXPLAINED = {
    0: gettext_lazy("The report has not been reviewed yet."),
    1: gettext_lazy("Reported by one identified person who testified, such as a relative."),
    2: gettext_lazy("Supported by identity documents, photos or recorded video."),
    3: gettext_lazy("Corroborated by sources independent of each other."),
    4: gettext_lazy(
        "Documented by an official or primary document, such as a verdict, a police notice or "
        "a leaked record."
    ),
}

NAME_SCRIPTS = {
    PersonName.Script.LATIN: "name_latin",
    PersonName.Script.CYRILLIC: "name_cyrillic",
    PersonName.Script.HAN: "name_chinese",
    PersonName.Script.UYGHUR_ARABIC: "name_uyghur",
}
# Text direction of each script, so that Uyghur Arabic names render right to left.
SCRIPT_DIRECTION = {PersonName.Script.UYGHUR_ARABIC: "rtl"}
SCRIPT_LANG = {
    PersonName.Script.LATIN: "",
    PersonName.Script.CYRILLIC: "",
    PersonName.Script.HAN: "zh",
    PersonName.Script.UYGHUR_ARABIC: "ug",
}


def public_columns(label, prefix=""):
    """The concrete columns of a model's public fields, for `QuerySet.only()`."""
    return [f"{prefix}{name}" for name in PUBLIC_FIELDS[label]]


def _read(instance, name):
    """The value of a public field; reading anything else is a programming error."""
    label = instance._meta.label_lower
    if name not in PUBLIC_FIELDS.get(label, ()):
        raise ImproperlyConfigured(f"{label}.{name} is not in cases.public.PUBLIC_FIELDS.")
    return getattr(instance, name)


@functools.cache
def _choice_labels(field):
    return dict(field.flatchoices)


def _display(instance, name, labels=True):
    """A public field's value as the reader sees it: the label of a choice, in their language."""
    value = _read(instance, name)
    if not labels:
        return value
    field = instance._meta.get_field(name)
    if field.choices:
        return str(_choice_labels(field).get(value, value))
    return value


# Querysets ---------------------------------------------------------------------------------


def public_name_rows():
    # Ordered by the column, not by "person": that would join the people table for its ordering.
    return PersonName.objects.only("person_id", *public_columns("cases.personname")).order_by(
        "person_id", "kind", "script", "pk"
    )


def public_cases():
    """Published cases whose consent stands, with what a list row needs, in a fixed number of
    queries: one for the rows (person, organization and consent joined), one for the names."""
    return (
        Case.objects.public()
        .select_related("person", "organization", "consent")
        .only(
            *public_columns("cases.case"),
            *public_columns("cases.person", "person__"),
            "organization__name",
            "organization__slug",
            "consent__identity_level",
            "consent__photo_consent",
            "consent__consent_to_publish",
            "consent__withdrawn_at",
            "consent__giver_may_be_named",
            "consent__given_by",
        )
        .prefetch_related(
            Prefetch(
                "person__names",
                queryset=public_name_rows(),
            )
        )
    )


def public_actions():
    return AdvocacyAction.objects.filter(is_public=True).select_related("organization")


def public_case_or_none(entry_number):
    """The case with everything its public page shows, or None when it is not public."""
    public_names = public_name_rows()
    return (
        public_cases()
        .prefetch_related(
            Prefetch(
                "person__citizenships",
                queryset=Citizenship.objects.select_related("country"),
            ),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related("facility").order_by("date_start", "pk"),
            ),
            Prefetch(
                "sources",
                queryset=Source.objects.filter(visibility=Visibility.PUBLIC).order_by(
                    "published_on", "pk"
                ),
            ),
            Prefetch(
                "testimonies",
                queryset=Testimony.objects.filter(visibility=Visibility.PUBLIC).order_by(
                    "given_on", "pk"
                ),
            ),
            Prefetch(
                "person__relationships",
                queryset=Relationship.objects.select_related("relative").prefetch_related(
                    Prefetch("relative__names", queryset=public_names),
                    Prefetch(
                        "relative__citizenships",
                        queryset=Citizenship.objects.select_related("country"),
                    ),
                ),
            ),
            Prefetch(
                "advocacy_actions",
                queryset=public_actions().order_by("-date"),
            ),
        )
        .filter(entry_number=entry_number)
        .first()
    )


# Public records ----------------------------------------------------------------------------


def _consent(case):
    consent = getattr(case, "consent", None)
    if consent is None or not consent.allows_publication:
        # Case.objects.public() keeps such cases out; this guards any other way in.
        raise ValueError("Not a public case.")
    return consent


def public_names(person, labels=True):
    """The person's names in every script, primary first (uses prefetched names)."""
    names = sorted(
        person.names.all(),
        key=lambda n: (n.kind != PersonName.Kind.PRIMARY, n.script != "latn", n.pk or 0),
    )
    return [
        {
            "value": _read(n, "value"),
            "script": _read(n, "script"),
            "script_display": _display(n, "script", labels),
            "kind": _read(n, "kind"),
            "kind_display": _display(n, "kind", labels),
            "dir": SCRIPT_DIRECTION.get(n.script, "auto"),
            "lang": SCRIPT_LANG.get(n.script, ""),
        }
        for n in names
    ]


def public_country(country):
    return {
        "code": _read(country, "code"),
        "name": _read(country, "name"),
        "name_ru": _read(country, "name_ru"),
        "name_local": _read(country, "name_local"),
        "notes": _read(country, "notes"),
        "url": reverse("cases:country", kwargs={"code": country.code}),
    }


def public_organization(organization):
    return {
        "name": _read(organization, "name"),
        "slug": _read(organization, "slug"),
        "url": reverse("cases:organization", kwargs={"slug": organization.slug}),
    }


def public_organization_detail(organization):
    return {
        **public_organization(organization),
        "country": public_country(_read(organization, "country")),
        "city": _read(organization, "city"),
        "kind": _display(organization, "kind"),
        "description": _read(organization, "description"),
        "website": _read(organization, "website"),
    }


def case_row(case, labels=True):
    """A case as a list row and open-data record: what its consent lets the public see.

    `labels=False` skips the translated labels of choices, which the open data does not use."""
    consent = _consent(case)
    person = _read(case, "person")
    named = consent.shows_name
    birth_date = _read(person, "birth_date")
    names = public_names(person, labels) if named else []
    by_script = {}
    for name in names:
        if name["kind"] in (PersonName.Kind.PRIMARY, PersonName.Kind.OFFICIAL_CHINESE):
            by_script.setdefault(name["script"], name["value"])
    entry_number = _read(case, "entry_number")
    return {
        "entry_number": entry_number,
        "url": reverse("cases:case", kwargs={"entry_number": entry_number}),
        "identity": consent.identity_level,
        "named": named,
        "name": names[0]["value"] if names else "",
        "name_dir": names[0]["dir"] if names else "auto",
        "names_by_script": {NAME_SCRIPTS[s]: v for s, v in by_script.items() if s in NAME_SCRIPTS},
        "gender": _read(person, "gender"),
        "gender_display": _display(person, "gender", labels),
        "birth_year": birth_date.year if birth_date else None,
        "ethnicity": _read(person, "ethnicity"),
        "ethnicity_display": _display(person, "ethnicity", labels),
        "prefecture": _read(person, "hometown_prefecture"),
        "prefecture_display": _display(person, "hometown_prefecture", labels),
        "status": _read(case, "status"),
        "status_display": _display(case, "status", labels),
        "status_confirmed_on": _read(case, "status_confirmed_on"),
        "detention_year": _read(case, "detention_year"),
        "evidence_level": _read(case, "evidence_level"),
        "organization": public_organization(_read(case, "organization")),
        "published_at": _read(case, "published_at"),
        "updated_at": _read(case, "updated_at"),
    }


# The open-data columns read straight from the database (path -> allowlisted model and field).
_OPEN_DATA_VALUES = {
    "entry_number": ("cases.case", "entry_number"),
    "status": ("cases.case", "status"),
    "status_confirmed_on": ("cases.case", "status_confirmed_on"),
    "detention_year": ("cases.case", "detention_year"),
    "evidence_level": ("cases.case", "evidence_level"),
    "published_at": ("cases.case", "published_at"),
    "updated_at": ("cases.case", "updated_at"),
    "person_id": ("cases.case", "person"),
    "person__gender": ("cases.person", "gender"),
    "person__birth_date": ("cases.person", "birth_date"),
    "person__ethnicity": ("cases.person", "ethnicity"),
    "person__hometown_prefecture": ("cases.person", "hometown_prefecture"),
    "organization__slug": ("orgs.organization", "slug"),
}


def _open_data_columns():
    for label, name in _OPEN_DATA_VALUES.values():
        if name not in PUBLIC_FIELDS[label]:
            raise ImproperlyConfigured(f"{label}.{name} is not in cases.public.PUBLIC_FIELDS.")
    # The consent decides, it is not shown: whether the names may appear.
    return [*_OPEN_DATA_VALUES, "consent__identity_level"]


def _iso(value):
    return value.isoformat() if value else None


def open_data_records(queryset, base_url="", chunk_size=2000):
    """The open-data rows (OPEN_DATA_COLUMNS, in order) of the public cases in `queryset`.

    Read as plain values in chunks, with one query for the names and one for the citizenships of
    each chunk: a download of every public case stays fast and flat in memory.
    """
    rows = queryset.values(*_open_data_columns()).iterator(chunk_size=chunk_size)
    while True:
        chunk = list(itertools.islice(rows, chunk_size))
        if not chunk:
            return
        named_people = [
            row["person_id"]
            for row in chunk
            if row["consent__identity_level"] != Consent.IdentityLevel.ANONYMOUS
        ]
        names = {}
        for name in (
            PersonName.objects.filter(person_id__in=named_people)
            .order_by("person_id", "kind", "script", "pk")
            .values_list("person_id", *public_columns("cases.personname"))
        ):
            person_id, value, script, _language, kind = name
            if kind in (PersonName.Kind.PRIMARY, PersonName.Kind.OFFICIAL_CHINESE):
                names.setdefault(person_id, {}).setdefault(script, value)
        citizenships = {}
        for person_id, code in (
            Citizenship.objects.filter(person_id__in=[row["person_id"] for row in chunk])
            .order_by("person_id", "country__code")
            .values_list("person_id", "country__code")
        ):
            citizenships.setdefault(person_id, []).append(code)
        for row in chunk:
            by_script = names.get(row["person_id"], {})
            birth_date = row["person__birth_date"]
            values = {
                **{column: by_script.get(script, "") for script, column in NAME_SCRIPTS.items()},
                "entry_number": row["entry_number"],
                "url": base_url
                + reverse("cases:case", kwargs={"entry_number": row["entry_number"]}),
                "identity": row["consent__identity_level"],
                "gender": row["person__gender"],
                "birth_year": birth_date.year if birth_date else None,
                "ethnicity": row["person__ethnicity"],
                "prefecture": row["person__hometown_prefecture"],
                "citizenships": " ".join(citizenships.get(row["person_id"], [])),
                "status": row["status"],
                "status_confirmed_on": _iso(row["status_confirmed_on"]),
                "detention_year": row["detention_year"],
                "evidence_level": row["evidence_level"],
                "organization": row["organization__slug"],
                "published_at": _iso(row["published_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
            yield {key: values[key] for key, _help in OPEN_DATA_COLUMNS}


def _citizenship_phrase(person):
    countries = sorted(_read(_read(c, "country"), "name") for c in person.citizenships.all())
    return ", ".join(countries)


def public_relatives(case, consent):
    """Relatives as far as consent allows: "a daughter, citizen of Kazakhstan"."""
    person = _read(case, "person")
    relatives = []
    for relationship in person.relationships.all():
        relative = relationship.relative
        name = ""
        if (
            consent.giver_may_be_named
            and consent.given_by_id is not None
            and consent.given_by_id == relative.pk
        ):
            names = public_names(relative)
            name = names[0]["value"] if names else ""
        relatives.append(
            {
                "relationship": _display(relationship, "kind"),
                "citizenship": _citizenship_phrase(relative),
                "name": name,
            }
        )
    return relatives


def public_event(event):
    facility = _read(event, "facility")
    return {
        "kind": _display(event, "kind"),
        "date": format_partial_date(
            _read(event, "date_start"), _read(event, "date_start_precision")
        ),
        "date_end": format_partial_date(
            _read(event, "date_end"), _read(event, "date_end_precision")
        ),
        "facility": {
            "name": _read(facility, "name"),
            "name_zh": _read(facility, "name_zh"),
            "kind": _display(facility, "kind"),
            "prefecture": _display(facility, "prefecture"),
            "county": _read(facility, "county"),
        }
        if facility
        else None,
        "place": _read(event, "place"),
        "official_reason": _read(event, "official_reason"),
        "suspected_reasons": [
            str(CaseEvent.Reason(code).label)
            for code in (_read(event, "suspected_reasons") or [])
            if code in CaseEvent.Reason.values
        ],
        "sentence_months": _read(event, "sentence_months"),
        "description": _read(event, "description"),
    }


def public_source(source):
    return {
        "kind": _display(source, "kind"),
        "title": _read(source, "title"),
        "description": _read(source, "description"),
        "url": _read(source, "url"),
        "archived_url": _read(source, "archived_url"),
        "published_on": _read(source, "published_on"),
        "reliability": _display(source, "reliability"),
    }


def public_testimony(testimony):
    return {
        "relationship": _display(testimony, "relationship"),
        "given_on": _read(testimony, "given_on"),
        "language": _display(testimony, "language"),
        "medium": _display(testimony, "medium"),
        "link": _read(testimony, "link"),
    }


def public_action(action):
    return {
        "organization": public_organization(_read(action, "organization")),
        "kind": _display(action, "kind"),
        "title": _read(action, "title"),
        "date": format_partial_date(_read(action, "date"), _read(action, "date_precision")),
        "addressee": _read(action, "addressee"),
        "reference_number": _read(action, "reference_number"),
        "description": _read(action, "description"),
        "outcome": _display(action, "outcome"),
    }


def case_page(case):
    """Everything the public page of one case shows."""
    consent = _consent(case)
    person = _read(case, "person")
    row = case_row(case)
    named = consent.shows_name
    return {
        **row,
        "names": public_names(person) if named else [],
        "identity_display": str(dict(Consent.IdentityLevel.choices)[consent.identity_level]),
        "birth_date": format_partial_date(
            _read(person, "birth_date"), _read(person, "birth_date_precision")
        )
        if named
        else "",
        "county": _read(person, "hometown_county") if named else "",
        "occupation": _read(person, "occupation") if named else "",
        "has_photo": bool(consent.shows_photo and _read(person, "photo")),
        "citizenship": _citizenship_phrase(person),
        "summary": _read(case, "summary"),
        "evidence_display": _display(case, "evidence_level"),
        "evidence_explained": EVIDENCE_EXPLAINED.get(_read(case, "evidence_level"), ""),
        "events": [public_event(e) for e in case.events.all()],
        "sources": [public_source(s) for s in case.sources.all()],
        "testimonies": [public_testimony(t) for t in case.testimonies.all()],
        "relatives": public_relatives(case, consent),
        "actions": [public_action(a) for a in case.advocacy_actions.all()],
    }


def public_photo(case):
    """The photo file when the consent lets it show, else None."""
    consent = _consent(case)
    person = _read(case, "person")
    if consent.shows_photo and _read(person, "photo"):
        return person.photo
    return None


def public_document(item):
    """The file of a public source, as far as the family's consent lets it out, else None.

    Served by /files/ (cases.uploads) though no public page links it, so the consent rules of the
    case page hold here too: nothing from an anonymous entry (a document shows who it is), an
    identity document or photo only with the photo consent. Testimony files (a relative's voice,
    face or letter) stay staff-side, as PUBLIC_FIELDS keeps Testimony.file private."""
    consent = _consent(item.case)
    if isinstance(item, Testimony) or not consent.shows_name:
        return None
    if item.kind in (Source.Kind.PHOTO, Source.Kind.IDENTITY_DOCUMENT) and not consent.shows_photo:
        return None
    return item.file or None
