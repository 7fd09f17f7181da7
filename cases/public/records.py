"""Public records as pages show them: list rows, case pages, actions, organizations, countries.

Everything about a case comes from its public entry (cases.models.PublicEntry), which the
publication service built through the allowlist and the consent; this module only turns its codes
into labels in the reader's language. Organizations and countries are reference data, read
through the allowlist (cases.public.allowlist).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from cases.choices import choice_label
from cases.models import (
    Case,
    CaseEvent,
    Consent,
    Facility,
    Person,
    PersonName,
    PublicAction,
    PublicEntry,
    Relationship,
    Source,
    Testimony,
)
from cases.public.allowlist import public_display, public_value
from casetracker.dates import format_partial_date
from orgs.models import AdvocacyAction, Country

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

# A word or two per level for the badge in lists ("2 of 4 · documents").
EVIDENCE_SHORT = {
    0: gettext_lazy("not yet assessed"),
    1: gettext_lazy("testimony"),
    2: gettext_lazy("documents"),
    3: gettext_lazy("corroborated"),
    4: gettext_lazy("official record"),
}
HIGHEST_EVIDENCE_LEVEL = 4


def evidence_badge(level: int) -> dict[str, Any]:
    """The evidence level as a labelled badge linking to its paragraph of the methodology."""
    short = EVIDENCE_SHORT.get(level, "")
    if level:
        text = gettext("%(level)s of %(highest)s · %(label)s") % {
            "level": level,
            "highest": HIGHEST_EVIDENCE_LEVEL,
            "label": short,
        }
    else:
        text = str(short)
    return {
        "level": level,
        "text": text,
        "explained": EVIDENCE_EXPLAINED.get(level, ""),
        "url": f"{reverse('cases:methodology')}#evidence-{level}",
    }


NAME_SCRIPTS = {
    PersonName.Script.LATIN: "name_latin",
    PersonName.Script.CYRILLIC: "name_cyrillic",
    PersonName.Script.HAN: "name_chinese",
    PersonName.Script.UYGHUR_ARABIC: "name_uyghur",
}

# The entry columns a list row reads: the content stays in the database.
ROW_COLUMNS = (
    "entry_number",
    "identity_level",
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
    "first_published_at",
    "published_at",
    "organization__name",
    "organization__slug",
)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def public_entries() -> QuerySet[PublicEntry]:
    """Public entries with what a list row shows, in one query."""
    return PublicEntry.objects.select_related("organization").only(*ROW_COLUMNS)


def country_names(codes) -> dict[str, str]:
    return dict(Country.objects.filter(code__in=set(codes)).values_list("code", "name"))


def public_country(country: Country) -> dict[str, Any]:
    return {
        "code": public_value(country, "code"),
        "name": public_value(country, "name"),
        "name_ru": public_value(country, "name_ru"),
        "name_local": public_value(country, "name_local"),
        "notes": public_value(country, "notes"),
        "url": reverse("cases:country", kwargs={"code": country.code}),
    }


def public_organization(organization) -> dict[str, Any]:
    return {
        "name": public_value(organization, "name"),
        "slug": public_value(organization, "slug"),
        "url": reverse("cases:organization", kwargs={"slug": organization.slug}),
    }


def public_organization_detail(organization) -> dict[str, Any]:
    return {
        **public_organization(organization),
        "country": public_country(public_value(organization, "country")),
        "city": public_value(organization, "city"),
        "kind": public_display(organization, "kind"),
        "description": public_value(organization, "description"),
        "website": public_value(organization, "website"),
    }


def entry_row(entry: PublicEntry) -> dict[str, Any]:
    """An entry as a list row."""
    named = not entry.is_anonymous and bool(entry.display_name)
    return {
        "entry_number": entry.entry_number,
        "url": reverse("cases:case", kwargs={"entry_number": entry.entry_number}),
        "identity": entry.identity_level,
        "named": named,
        "name": entry.display_name if named else "",
        # The name's script and language, for its lang and dir (the person_name tag).
        "name_script": entry.display_name_script,
        "name_language": entry.display_name_language,
        "gender": entry.gender,
        "gender_display": choice_label(Person, "gender", entry.gender),
        "birth_year": entry.birth_year,
        "ethnicity": entry.ethnicity,
        "ethnicity_display": choice_label(Person, "ethnicity", entry.ethnicity),
        "prefecture": entry.prefecture,
        "prefecture_display": choice_label(Person, "hometown_prefecture", entry.prefecture),
        "status": entry.status,
        "status_display": choice_label(Case, "status", entry.status),
        "detention_year": entry.detention_year,
        "evidence_level": entry.evidence_level,
        "evidence": evidence_badge(entry.evidence_level),
        "organization": public_organization(entry.organization),
        "published_at": entry.first_published_at,
        "updated_at": entry.published_at,
    }


def entry_title(row: dict[str, Any]) -> str:
    """A row's title in a feed or a shared link: an anonymous entry names nobody."""
    if row["named"]:
        return gettext("%(name)s (entry %(number)s)") % {
            "name": row["name"],
            "number": row["entry_number"],
        }
    return gettext("Anonymous entry %(number)s") % {"number": row["entry_number"]}


def entry_description(row: dict[str, Any]) -> str:
    """One line a reader can share: status, detention year, evidence and the group."""
    parts = [str(row["status_display"])]
    if row["detention_year"]:
        parts.append(gettext("detained in %(year)s") % {"year": row["detention_year"]})
    parts.append(gettext("evidence: %(badge)s") % {"badge": row["evidence"]["text"]})
    parts.append(gettext("documented by %(group)s") % {"group": row["organization"]["name"]})
    return "; ".join(parts)


def _names(names: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        {
            **name,
            "script_display": choice_label(PersonName, "script", name["script"]),
            "kind_display": choice_label(PersonName, "kind", name["kind"]),
        }
        for name in names
    ]


def _event(event: dict[str, Any]) -> dict[str, Any]:
    facility = event["facility"]
    reasons = dict(CaseEvent.Reason.choices)
    return {
        "kind": choice_label(CaseEvent, "kind", event["kind"]),
        "date": format_partial_date(_date(event["date_start"]), event["date_start_precision"]),
        "date_end": format_partial_date(_date(event["date_end"]), event["date_end_precision"]),
        "facility": {
            **facility,
            "kind": choice_label(Facility, "kind", facility["kind"]),
            "prefecture": choice_label(Facility, "prefecture", facility["prefecture"]),
        }
        if facility
        else None,
        "place": event["place"],
        "official_reason": event["official_reason"],
        "suspected_reasons": [str(reasons[code]) for code in event["suspected_reasons"]],
        "sentence_months": event["sentence_months"],
        "description": event["description"],
    }


def _source(source: dict[str, Any]) -> dict[str, Any]:
    return {
        **source,
        "kind": choice_label(Source, "kind", source["kind"]),
        "reliability": choice_label(Source, "reliability", source["reliability"]),
        "published_on": _date(source["published_on"]),
        "file_url": reverse("upload", args=["source", source["id"]]) if source["has_file"] else "",
    }


def _testimony(testimony: dict[str, Any]) -> dict[str, Any]:
    return {
        "relationship": choice_label(Testimony, "relationship", testimony["relationship"]),
        "given_on": _date(testimony["given_on"]),
        "language": choice_label(Testimony, "language", testimony["language"]),
        "medium": choice_label(Testimony, "medium", testimony["medium"]),
        "link": testimony["link"],
    }


def _held(item: dict[str, str]) -> str:
    if item["type"] == "source":
        return gettext("%(kind)s, held by the group") % {
            "kind": choice_label(Source, "kind", item["kind"])
        }
    medium = choice_label(Testimony, "medium", item["medium"])
    if item["relationship"]:
        return gettext("%(medium)s testimony of a %(relationship)s, not public") % {
            "medium": medium,
            "relationship": choice_label(Testimony, "relationship", item["relationship"]),
        }
    return gettext("%(medium)s testimony, not public") % {"medium": medium}


def public_action(action: PublicAction) -> dict[str, Any]:
    content = action.content
    return {
        "organization": public_organization(action.organization),
        "kind": choice_label(AdvocacyAction, "kind", content["kind"]),
        "title": content["title"],
        "date": format_partial_date(_date(content["date"]), content["date_precision"]),
        "addressee": content["addressee"],
        "reference_number": content["reference_number"],
        "description": content["description"],
        "outcome": choice_label(AdvocacyAction, "outcome", content["outcome"]),
    }


def public_actions() -> QuerySet[PublicAction]:
    return PublicAction.objects.select_related("organization")


def entry_page(entry: PublicEntry) -> dict[str, Any]:
    """Everything the public page of one entry shows."""
    row = entry_row(entry)
    content = entry.content if row["named"] else {}
    relatives = content.get("relatives", [])
    codes = set(content.get("citizenships", []))
    for relative in relatives:
        codes.update(relative["citizenships"])
    countries = country_names(codes) if codes else {}
    return {
        **row,
        "names": _names(content.get("names", [])),
        "identity_display": choice_label(Consent, "identity_level", entry.identity_level),
        "birth_date": format_partial_date(
            _date(content.get("birth_date")), content.get("birth_date_precision")
        )
        if content.get("birth_date")
        else "",
        "status_confirmed_on": _date(content.get("status_confirmed_on")),
        "county": content.get("county", ""),
        "occupation": content.get("occupation", ""),
        "has_photo": bool(content.get("has_photo")),
        "citizenship": ", ".join(
            sorted(countries.get(code, code) for code in content.get("citizenships", []))
        ),
        "summary": content.get("summary", ""),
        "evidence_display": choice_label(Case, "evidence_level", entry.evidence_level),
        "evidence_explained": EVIDENCE_EXPLAINED.get(entry.evidence_level, ""),
        "events": [_event(e) for e in content.get("events", [])],
        "sources": [_source(s) for s in content.get("sources", [])],
        "testimonies": [_testimony(t) for t in content.get("testimonies", [])],
        "held_evidence": [_held(item) for item in content.get("held_evidence", [])],
        "relatives": [
            {
                "relationship": choice_label(Relationship, "kind", relative["relationship"]),
                "citizenship": ", ".join(
                    sorted(countries.get(code, code) for code in relative["citizenships"])
                ),
                "name": relative["name"],
                "name_script": relative.get("name_script", ""),
                "name_language": relative.get("name_language", ""),
            }
            for relative in relatives
        ],
        "actions": [public_action(action) for action in public_actions().filter(entries=entry)]
        if row["named"]
        else [],
    }
