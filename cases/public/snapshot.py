"""Building a public entry from the working record: the allowlist and the consent decide.

This is the only code that turns a case into what the public sees. Every value is read through
`public_value()` (cases.public.allowlist), so a field that is not allowlisted cannot reach the
public-entry table, and the family's consent then narrows it further:

- anonymous: entry number, gender, birth year, ethnicity, prefecture, status, year of detention,
  evidence level and the documenting group, and nothing else (no name, no free text, no place
  or facility, no link, no source, testimony, relative or action);
- name only: also the names in every script, birth date, county, occupation, the summary, the
  timeline, the public sources and testimonies, the kinds of the evidence that is not public
  (a kind, never a detail), and relatives as "a daughter, citizen of
  Kazakhstan" (named only when their own consent says so);
- full name and photo: also the photo, when the photo consent is given.

Values are stored as codes (choices, ISO dates, country codes), never as translated labels.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from cases.models import (
    Case,
    CaseEvent,
    Citizenship,
    Consent,
    PersonName,
    Relationship,
    Residence,
    Source,
    Testimony,
    Visibility,
)
from cases.names import search_key, transliterate
from cases.public.allowlist import public_value

# Source kinds that show a face or an identity: public only with the photo consent.
PHOTO_LIKE_SOURCES = (Source.Kind.PHOTO, Source.Kind.IDENTITY_DOCUMENT)


# The PublicEntry columns a snapshot writes.
ENTRY_COLUMNS = (
    "entry_number",
    "identity_level",
    "organization_id",
    "status",
    "evidence_level",
    "detention_year",
    "gender",
    "birth_year",
    "ethnicity",
    "prefecture",
    "display_name",
    "display_name_script",
    "display_name_language",
    "search_document",
    "content",
)


@dataclass
class PlannedFile:
    """A file that goes public with the entry, as a derivative of `field_file`."""

    kind: str
    field_file: Any
    source_id: int | None = None


@dataclass
class Snapshot:
    """What publishing a case writes: the entry's columns, its countries and its files."""

    columns: dict[str, Any]
    countries: list[tuple[str, str]] = field(default_factory=list)
    files: list[PlannedFile] = field(default_factory=list)
    # (search key, name as shown) of every name the entry shows.
    name_keys: list[tuple[str, str]] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        """The JSON kept in a publication record: exactly what the public saw."""
        columns = dict(self.columns)
        columns["organization"] = columns.pop("organization_id")
        return {
            **columns,
            "countries": [list(pair) for pair in self.countries],
            "files": [
                {"kind": planned.kind, "source": planned.source_id} for planned in self.files
            ],
        }


def snapshot_cases() -> QuerySet[Case]:
    """Cases with everything a snapshot reads, in a fixed number of queries for any number."""
    names = PersonName.objects.order_by("kind", "script", "pk")
    citizenships = Citizenship.objects.select_related("country").order_by("country__code")
    return Case.objects.select_related("person", "consent", "organization").prefetch_related(
        Prefetch("person__names", queryset=names),
        Prefetch("person__citizenships", queryset=citizenships),
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
        # Evidence the group holds but does not show: only its kind goes into a named entry.
        Prefetch(
            "sources",
            queryset=Source.objects.exclude(visibility=Visibility.PUBLIC)
            .only("pk", "case_id", "kind")
            .order_by("kind", "pk"),
            to_attr="held_sources",
        ),
        Prefetch(
            "testimonies",
            queryset=Testimony.objects.exclude(visibility=Visibility.PUBLIC)
            .only("pk", "case_id", "medium", "relationship")
            .order_by("medium", "relationship", "pk"),
            to_attr="held_testimonies",
        ),
        Prefetch(
            "person__relationships",
            queryset=Relationship.objects.select_related("relative").prefetch_related(
                Prefetch("relative__names", queryset=names),
                Prefetch("relative__citizenships", queryset=citizenships),
                Prefetch(
                    "relative__residences",
                    queryset=Residence.objects.filter(until__isnull=True).select_related("country"),
                    to_attr="current_residences",
                ),
            ),
        ),
    )


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _names(person) -> list[dict[str, str]]:
    names = sorted(
        person.names.all(),
        key=lambda n: (n.kind != PersonName.Kind.PRIMARY, n.script != "latn", n.pk or 0),
    )
    return [
        {
            "value": public_value(n, "value"),
            "script": public_value(n, "script"),
            "language": public_value(n, "language"),
            "kind": public_value(n, "kind"),
        }
        for n in names
    ]


def _search_document(names: list[dict[str, str]]) -> str:
    """Every spelling of every name: the key of each, its transliteration and the name as
    written, one per line, so that a search in any script finds it."""
    lines: list[str] = []
    for name in names:
        for variant in (search_key(name["value"]), search_key(transliterate(name["value"]))):
            if variant and variant not in lines:
                lines.append(variant)
    return "\n".join(lines)


def _country_codes(person) -> list[str]:
    return [public_value(public_value(c, "country"), "code") for c in person.citizenships.all()]


def _event(event: CaseEvent) -> dict[str, Any]:
    facility = public_value(event, "facility")
    return {
        "kind": public_value(event, "kind"),
        "date_start": _iso(public_value(event, "date_start")),
        "date_start_precision": public_value(event, "date_start_precision"),
        "date_end": _iso(public_value(event, "date_end")),
        "date_end_precision": public_value(event, "date_end_precision"),
        "facility": {
            "id": facility.pk,
            "name": public_value(facility, "name"),
            "name_zh": public_value(facility, "name_zh"),
            "kind": public_value(facility, "kind"),
            "prefecture": public_value(facility, "prefecture"),
            "county": public_value(facility, "county"),
        }
        if facility
        else None,
        "place": public_value(event, "place"),
        "official_reason": public_value(event, "official_reason"),
        "suspected_reasons": [
            code
            for code in (public_value(event, "suspected_reasons") or [])
            if code in CaseEvent.Reason.values
        ],
        "sentence_months": public_value(event, "sentence_months"),
        "description": public_value(event, "description"),
    }


def _source_file_goes_public(source: Source, consent: Consent) -> bool:
    return bool(source.file) and (source.kind not in PHOTO_LIKE_SOURCES or consent.shows_photo)


def _source(source: Source, consent: Consent) -> dict[str, Any]:
    return {
        "id": source.pk,
        "kind": public_value(source, "kind"),
        "title": public_value(source, "title"),
        "description": public_value(source, "description"),
        "url": public_value(source, "url"),
        "archived_url": public_value(source, "archived_url"),
        "published_on": _iso(public_value(source, "published_on")),
        "reliability": public_value(source, "reliability"),
        "has_file": _source_file_goes_public(source, consent),
    }


def _testimony(testimony: Testimony) -> dict[str, Any]:
    return {
        "relationship": public_value(testimony, "relationship"),
        "given_on": _iso(public_value(testimony, "given_on")),
        "language": public_value(testimony, "language"),
        "medium": public_value(testimony, "medium"),
        "link": public_value(testimony, "link"),
    }


def _held_evidence(case: Case) -> list[dict[str, str]]:
    """The kinds of evidence the group holds and does not publish, as codes and nothing else:
    no title, date, file, link or testifier. Each kind once."""
    held: list[dict[str, str]] = []
    for source in case.held_sources:
        item = {"type": "source", "kind": public_value(source, "kind")}
        if item not in held:
            held.append(item)
    for testimony in case.held_testimonies:
        item = {
            "type": "testimony",
            "medium": public_value(testimony, "medium"),
            "relationship": public_value(testimony, "relationship") or "",
        }
        if item not in held:
            held.append(item)
    return held


def _relatives(person, consent: Consent) -> tuple[list[dict[str, Any]], list[str]]:
    """Relatives as far as consent allows, and the countries where relatives live now."""
    relatives = []
    living_in: list[str] = []
    for relationship in person.relationships.all():
        relative = relationship.relative
        name = {"value": "", "script": "", "language": ""}
        if (
            consent.giver_may_be_named
            and consent.given_by_id is not None
            and consent.given_by_id == relative.pk
        ):
            names = _names(relative)
            name = names[0] if names else name
        relatives.append(
            {
                "relationship": public_value(relationship, "kind"),
                "citizenships": _country_codes(relative),
                "name": name["value"],
                "name_script": name["script"],
                "name_language": name["language"],
            }
        )
        for residence in relative.current_residences:
            code = public_value(public_value(residence, "country"), "code")
            if code not in living_in:
                living_in.append(code)
    return relatives, sorted(living_in)


def anonymous_columns(case: Case) -> dict[str, Any]:
    """What an anonymous entry of `case` shows, whatever its consent: the columns of
    `build_snapshot` for an anonymous consent (used where something must be shareable of a case
    that is not, or not yet, public)."""
    person = public_value(case, "person")
    birth_date = public_value(person, "birth_date")
    return {
        "entry_number": public_value(case, "entry_number"),
        "identity_level": Consent.IdentityLevel.ANONYMOUS,
        "organization_id": public_value(case, "organization").pk,
        "status": public_value(case, "status"),
        "evidence_level": public_value(case, "evidence_level"),
        "detention_year": public_value(case, "detention_year"),
        "gender": public_value(person, "gender"),
        "birth_year": birth_date.year if birth_date else None,
        "ethnicity": public_value(person, "ethnicity"),
        "prefecture": public_value(person, "hometown_prefecture"),
        "display_name": "",
        "display_name_script": "",
        "display_name_language": "",
        "search_document": "",
        "content": {},
    }


def build_snapshot(case: Case) -> Snapshot:
    """What the public may see of `case` now, from a case loaded by `snapshot_cases()`.

    Raises ValueError when the consent does not allow publication at all."""
    consent = getattr(case, "consent", None)
    if consent is None or not consent.allows_publication:
        raise ValueError("The family's consent does not allow publication.")
    person = public_value(case, "person")
    birth_date = public_value(person, "birth_date")
    columns = {**anonymous_columns(case), "identity_level": consent.identity_level}
    if not consent.shows_name:
        # Anonymous means anonymous: the columns above, and nothing else.
        return Snapshot(columns=columns)

    names = _names(person)
    relatives, living_in = _relatives(person, consent)
    citizenships = _country_codes(person)
    files = []
    has_photo = bool(consent.shows_photo and public_value(person, "photo"))
    if has_photo:
        files.append(PlannedFile(kind="photo", field_file=person.photo))
    sources = [_source(s, consent) for s in case.sources.all()]
    files += [
        PlannedFile(kind="source", field_file=s.file, source_id=s.pk)
        for s in case.sources.all()
        if _source_file_goes_public(s, consent)
    ]
    columns.update(
        display_name=names[0]["value"] if names else "",
        display_name_script=names[0]["script"] if names else "",
        display_name_language=names[0]["language"] if names else "",
        search_document=_search_document(names),
        content={
            "names": names,
            "birth_date": _iso(birth_date),
            "birth_date_precision": public_value(person, "birth_date_precision"),
            "county": public_value(person, "hometown_county"),
            "occupation": public_value(person, "occupation"),
            "status_confirmed_on": _iso(public_value(case, "status_confirmed_on")),
            "summary": public_value(case, "summary"),
            "citizenships": citizenships,
            "events": [_event(e) for e in case.events.all()],
            "sources": sources,
            "testimonies": [_testimony(t) for t in case.testimonies.all()],
            "held_evidence": _held_evidence(case),
            "relatives": relatives,
            "has_photo": has_photo,
        },
    )
    countries = [("citizen", code) for code in citizenships]
    countries += [("relatives", code) for code in living_in]
    name_keys = sorted({(search_key(n["value"]), n["value"]) for n in names} - {("", "")})
    return Snapshot(columns=columns, countries=countries, files=files, name_keys=name_keys)
