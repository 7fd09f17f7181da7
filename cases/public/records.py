"""Public records: what a list row, a case page, an organization or a country shows, built
through the allowlist (cases.public.allowlist) and the family's consent."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases.choices import choice_labels
from cases.models import (
    Case,
    CaseEvent,
    Consent,
    PersonName,
    Source,
    Testimony,
)
from cases.public.allowlist import public_columns, public_display, public_value
from casetracker.dates import format_partial_date
from orgs.models import AdvocacyAction

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


# Querysets ---------------------------------------------------------------------------------


def public_name_rows():
    # Ordered by the column, not by "person": that would join the people table for its ordering.
    return PersonName.objects.only("person_id", *public_columns("cases.personname")).order_by(
        "person_id", "kind", "script", "pk"
    )


def _public_case_rows():
    """Published cases whose consent stands, with the columns a public page may read of them,
    their person, organization and consent joined."""
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
    )


def public_cases():
    """Published cases with what a list row needs, in a fixed number of queries: one for the
    rows, one for the names."""
    return _public_case_rows().prefetch_related(
        Prefetch("person__names", queryset=public_name_rows())
    )


def public_actions():
    return AdvocacyAction.objects.filter(is_public=True).select_related("organization")


def public_case_or_none(entry_number):
    """The case with everything its public page shows, or None when it is not public."""
    return (
        _public_case_rows().with_everything(public=True).filter(entry_number=entry_number).first()
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
            "value": public_value(n, "value"),
            "script": public_value(n, "script"),
            "script_display": public_display(n, "script", labels),
            "kind": public_value(n, "kind"),
            "kind_display": public_display(n, "kind", labels),
            "dir": SCRIPT_DIRECTION.get(n.script, "auto"),
            "lang": SCRIPT_LANG.get(n.script, ""),
        }
        for n in names
    ]


def public_country(country):
    return {
        "code": public_value(country, "code"),
        "name": public_value(country, "name"),
        "name_ru": public_value(country, "name_ru"),
        "name_local": public_value(country, "name_local"),
        "notes": public_value(country, "notes"),
        "url": reverse("cases:country", kwargs={"code": country.code}),
    }


def public_organization(organization):
    return {
        "name": public_value(organization, "name"),
        "slug": public_value(organization, "slug"),
        "url": reverse("cases:organization", kwargs={"slug": organization.slug}),
    }


def public_organization_detail(organization):
    return {
        **public_organization(organization),
        "country": public_country(public_value(organization, "country")),
        "city": public_value(organization, "city"),
        "kind": public_display(organization, "kind"),
        "description": public_value(organization, "description"),
        "website": public_value(organization, "website"),
    }


def case_row(case, labels=True):
    """A case as a list row and open-data record: what its consent lets the public see.

    `labels=False` skips the translated labels of choices, which the open data does not use."""
    consent = _consent(case)
    person = public_value(case, "person")
    named = consent.shows_name
    birth_date = public_value(person, "birth_date")
    names = public_names(person, labels) if named else []
    by_script = {}
    for name in names:
        if name["kind"] in (PersonName.Kind.PRIMARY, PersonName.Kind.OFFICIAL_CHINESE):
            by_script.setdefault(name["script"], name["value"])
    entry_number = public_value(case, "entry_number")
    return {
        "entry_number": entry_number,
        "url": reverse("cases:case", kwargs={"entry_number": entry_number}),
        "identity": consent.identity_level,
        "named": named,
        "name": names[0]["value"] if names else "",
        "name_dir": names[0]["dir"] if names else "auto",
        "names_by_script": {NAME_SCRIPTS[s]: v for s, v in by_script.items() if s in NAME_SCRIPTS},
        "gender": public_value(person, "gender"),
        "gender_display": public_display(person, "gender", labels),
        "birth_year": birth_date.year if birth_date else None,
        "ethnicity": public_value(person, "ethnicity"),
        "ethnicity_display": public_display(person, "ethnicity", labels),
        "prefecture": public_value(person, "hometown_prefecture"),
        "prefecture_display": public_display(person, "hometown_prefecture", labels),
        "status": public_value(case, "status"),
        "status_display": public_display(case, "status", labels),
        "status_confirmed_on": public_value(case, "status_confirmed_on"),
        "detention_year": public_value(case, "detention_year"),
        "evidence_level": public_value(case, "evidence_level"),
        "organization": public_organization(public_value(case, "organization")),
        "published_at": public_value(case, "published_at"),
        "updated_at": public_value(case, "updated_at"),
    }


def _citizenship_phrase(person):
    countries = sorted(
        public_value(public_value(c, "country"), "name") for c in person.citizenships.all()
    )
    return ", ".join(countries)


def public_relatives(case, consent):
    """Relatives as far as consent allows: "a daughter, citizen of Kazakhstan"."""
    person = public_value(case, "person")
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
                "relationship": public_display(relationship, "kind"),
                "citizenship": _citizenship_phrase(relative),
                "name": name,
            }
        )
    return relatives


def public_event(event):
    facility = public_value(event, "facility")
    return {
        "kind": public_display(event, "kind"),
        "date": format_partial_date(
            public_value(event, "date_start"), public_value(event, "date_start_precision")
        ),
        "date_end": format_partial_date(
            public_value(event, "date_end"), public_value(event, "date_end_precision")
        ),
        "facility": {
            "name": public_value(facility, "name"),
            "name_zh": public_value(facility, "name_zh"),
            "kind": public_display(facility, "kind"),
            "prefecture": public_display(facility, "prefecture"),
            "county": public_value(facility, "county"),
        }
        if facility
        else None,
        "place": public_value(event, "place"),
        "official_reason": public_value(event, "official_reason"),
        "suspected_reasons": [
            str(CaseEvent.Reason(code).label)
            for code in (public_value(event, "suspected_reasons") or [])
            if code in CaseEvent.Reason.values
        ],
        "sentence_months": public_value(event, "sentence_months"),
        "description": public_value(event, "description"),
    }


def public_source(source):
    return {
        "kind": public_display(source, "kind"),
        "title": public_value(source, "title"),
        "description": public_value(source, "description"),
        "url": public_value(source, "url"),
        "archived_url": public_value(source, "archived_url"),
        "published_on": public_value(source, "published_on"),
        "reliability": public_display(source, "reliability"),
    }


def public_testimony(testimony):
    return {
        "relationship": public_display(testimony, "relationship"),
        "given_on": public_value(testimony, "given_on"),
        "language": public_display(testimony, "language"),
        "medium": public_display(testimony, "medium"),
        "link": public_value(testimony, "link"),
    }


def public_action(action):
    return {
        "organization": public_organization(public_value(action, "organization")),
        "kind": public_display(action, "kind"),
        "title": public_value(action, "title"),
        "date": format_partial_date(
            public_value(action, "date"), public_value(action, "date_precision")
        ),
        "addressee": public_value(action, "addressee"),
        "reference_number": public_value(action, "reference_number"),
        "description": public_value(action, "description"),
        "outcome": public_display(action, "outcome"),
    }


def case_page(case):
    """Everything the public page of one case shows."""
    consent = _consent(case)
    person = public_value(case, "person")
    row = case_row(case)
    named = consent.shows_name
    return {
        **row,
        "names": public_names(person) if named else [],
        "identity_display": choice_labels(Consent.IdentityLevel)[consent.identity_level],
        "birth_date": format_partial_date(
            public_value(person, "birth_date"), public_value(person, "birth_date_precision")
        )
        if named
        else "",
        "county": public_value(person, "hometown_county") if named else "",
        "occupation": public_value(person, "occupation") if named else "",
        "has_photo": bool(consent.shows_photo and public_value(person, "photo")),
        "citizenship": _citizenship_phrase(person),
        "summary": public_value(case, "summary"),
        "evidence_display": public_display(case, "evidence_level"),
        "evidence_explained": EVIDENCE_EXPLAINED.get(public_value(case, "evidence_level"), ""),
        "events": [public_event(e) for e in case.events.all()],
        "sources": [public_source(s) for s in case.sources.all()],
        "testimonies": [public_testimony(t) for t in case.testimonies.all()],
        "relatives": public_relatives(case, consent),
        "actions": [public_action(a) for a in case.advocacy_actions.all()],
    }


def public_photo(case):
    """The photo file when the consent lets it show, else None."""
    consent = _consent(case)
    person = public_value(case, "person")
    if consent.shows_photo and public_value(person, "photo"):
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
