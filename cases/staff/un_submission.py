"""A case's submission to the UN Working Group on Enforced or Involuntary Disappearances (WGEID).

The Working Group examines a case when the submission holds its required elements: the person's
identity; the date and place of the arrest or abduction, or of the last sighting; who is believed
responsible; what the family did to find the person; who submits; and whether the submitter asks
for confidentiality. Everything here is drawn from the case as recorded; the checklist says what
is missing. Nothing is produced without the family's recorded consent to a UN submission, and a
disappearance under three months old is flagged for the urgent procedure.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, PersonName
from casetracker.dates import DatePrecision, format_partial_date

URGENT_MONTHS = 3
# Statuses under which the person's fate or whereabouts are no longer unknown to the family.
SETTLED_STATUSES = {Case.Status.RELEASED_ABROAD, Case.Status.DIED}
SIGHTING_EVENTS = (CaseEvent.Kind.DETAINED, CaseEvent.Kind.CONTACT_LOST)


@dataclass
class Element:
    key: str
    label: str
    lines: list
    required: bool = True
    hint: str = ""

    @property
    def missing(self):
        return not self.lines


@dataclass
class UNSubmission:
    case: Case
    elements: list
    consent_recorded: bool
    consent_problem: str
    disappeared_on: datetime.date | None
    urgent: bool
    warnings: list = field(default_factory=list)

    @property
    def missing(self):
        return [e for e in self.elements if e.required and e.missing]

    @property
    def missing_recommended(self):
        return [e for e in self.elements if not e.required and e.missing]

    @property
    def ready(self):
        return self.consent_recorded and not self.missing


def latest_possible_date(value, precision):
    """The last day a partial date can stand for: "March 2026" may be 31 March."""
    if precision in (DatePrecision.YEAR, DatePrecision.APPROXIMATE):
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def months_before(day, months):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def sighting_event(case):
    """The event that starts the disappearance: the latest detention, else the latest loss of
    contact (the last sighting)."""
    events = list(case.events.all())
    for kind in SIGHTING_EVENTS:
        dated = [e for e in events if e.kind == kind and e.date_start]
        if dated:
            return max(dated, key=lambda e: (e.date_start, e.pk))
        undated = [e for e in events if e.kind == kind]
        if undated:
            return undated[-1]
    return None


def _names(person):
    names = sorted(
        person.names.all(), key=lambda n: (n.kind != PersonName.Kind.PRIMARY, n.script, n.pk)
    )
    return [f"{n.value} ({n.get_script_display()}, {n.get_kind_display()})" for n in names]


def _place(event):
    if event is None:
        return []
    parts = []
    if event.facility:
        facility = event.facility
        where = ", ".join(p for p in (facility.county, facility.get_prefecture_display()) if p)
        parts.append(
            f"{facility.name} ({facility.get_kind_display()}{', ' + where if where else ''})"
        )
    if event.place:
        parts.append(event.place)
    if parts:
        parts.append(_("Xinjiang Uyghur Autonomous Region, People's Republic of China"))
    return parts


def _responsible(case, event):
    lines = []
    if event is not None and event.facility:
        lines.append(
            _("State authorities of the People's Republic of China in charge of %(facility)s.")
            % {"facility": f"{event.facility.name} ({event.facility.get_kind_display()})"}
        )
    if event is not None and event.official_reason:
        lines.append(
            _("Official reason or charge given: %(reason)s") % {"reason": event.official_reason}
        )
    sentenced = [e for e in case.events.all() if e.kind == CaseEvent.Kind.SENTENCED]
    if sentenced:
        lines.append(_("Sentenced by a court of the People's Republic of China."))
    return lines


def _family_steps(case):
    lines = []
    for action in sorted(case.advocacy_actions.all(), key=lambda a: a.date):
        when = format_partial_date(action.date, action.date_precision)
        text = f"{when}: {action.get_kind_display()}, {action.title}"
        if action.addressee:
            text += f" ({_('to')} {action.addressee})"
        if action.reference_number:
            text += f", {_('reference')} {action.reference_number}"
        text += f"; {_('outcome')}: {action.get_outcome_display()}"
        lines.append(text)
    for event in case.events.all():
        if event.kind in (CaseEvent.Kind.CONTACT_LOST, CaseEvent.Kind.OTHER) and event.description:
            lines.append(f"{event.date_display}: {event.description}")
    return lines


def _source(case):
    consent = getattr(case, "consent", None)
    if consent is None or consent.given_by is None:
        return []
    giver = consent.given_by
    relation = next(
        (
            r.get_kind_display()
            for r in case.person.relationships.all()
            if r.relative_id == giver.pk
        ),
        "",
    )
    text = giver.display_name or _("a relative")
    if relation:
        text += f" ({relation})"
    if consent.given_on:
        text += f", {_('consent given on')} {consent.given_on:%Y-%m-%d}"
    return [text]


def _known(value, known=True):
    return [str(value)] if value and known else []


def _join(*parts):
    return ", ".join(p for p in parts if p)


def build_submission(case, *, submitter, today=None):
    """The submission for `case` (loaded with `with_everything()`) prepared by `submitter`."""
    today = today or timezone.localdate()
    person = case.person
    consent = getattr(case, "consent", None)
    event = sighting_event(case)

    if consent is None:
        consent_recorded, problem = False, _("No consent is recorded for this case.")
    elif consent.withdrawn_at is not None:
        consent_recorded, problem = False, _("The family's consent has been withdrawn.")
    elif not consent.un_submission_consent:
        consent_recorded, problem = (
            False,
            _("The family's consent to a submission to UN bodies is not recorded."),
        )
    else:
        consent_recorded, problem = True, ""

    disappeared_on = event.date_start if event is not None else None
    urgent = bool(
        disappeared_on
        and latest_possible_date(disappeared_on, event.date_start_precision)
        >= months_before(today, URGENT_MONTHS)
    )

    organization = case.organization
    submitted_by = submitter.get_full_name() or submitter.get_username()
    confidentiality = []
    if consent is not None:
        confidentiality = [
            _("No: the family's source may be named.")
            if consent.giver_may_be_named
            else _(
                "Yes: the submitter asks that the identity of the family's source be kept "
                "confidential."
            )
        ]
    elements = [
        Element("identity", _("Family name and given names"), _names(person)),
        Element(
            "gender",
            _("Sex"),
            _known(person.get_gender_display(), person.gender != "unknown"),
            required=False,
        ),
        Element(
            "birth_date", _("Date of birth"), _known(person.birth_date_display), required=False
        ),
        Element(
            "nationality",
            _("Nationality"),
            [c.country.name for c in person.citizenships.all()],
            required=False,
        ),
        Element(
            "identity_document",
            _("Identity document"),
            [v for v in (person.prc_id_number, person.passport_numbers) if v],
            required=False,
        ),
        Element("occupation", _("Occupation"), _known(person.occupation), required=False),
        Element(
            "address",
            _("Home address (hometown)"),
            [
                ", ".join(
                    p
                    for p in (
                        person.hometown_village,
                        person.hometown_township,
                        person.hometown_county,
                        person.get_hometown_prefecture_display(),
                    )
                    if p
                )
            ]
            if person.hometown_prefecture or person.hometown_county
            else [],
            required=False,
        ),
        Element(
            "date",
            _("Date of the arrest or of the last sighting"),
            [f"{event.get_kind_display()}: {event.date_display}"] if disappeared_on else [],
            hint=_("Record a dated “detained” or “contact lost” event."),
        ),
        Element(
            "place",
            _("Place of the arrest or of the last sighting"),
            _place(event),
            hint=_("Give the event a facility or a place."),
        ),
        Element(
            "responsible",
            _("Who is believed responsible"),
            _responsible(case, event),
            hint=_("Name the facility or the official reason on the detention event."),
        ),
        Element(
            "family_steps",
            _("What the family did to find the person"),
            _family_steps(case),
            hint=_("Record the letters, petitions and other steps as advocacy actions."),
        ),
        Element(
            "submitter",
            _("Who submits"),
            [
                f"{organization.name} ({_join(organization.city, organization.country.name)})",
                _("prepared by %(name)s") % {"name": submitted_by},
            ],
        ),
        Element(
            "source",
            _("Family member who informed the submitter"),
            _source(case),
            required=False,
        ),
        Element(
            "confidentiality",
            _("Confidentiality asked"),
            confidentiality,
            hint=_("Record the family's consent, with whether the source may be named."),
        ),
    ]
    warnings = []
    if case.status in SETTLED_STATUSES:
        warnings.append(
            _(
                "The case's status is “%(status)s”: the Working Group examines cases whose fate or "
                "whereabouts are unknown."
            )
            % {"status": case.get_status_display()}
        )
    return UNSubmission(
        case=case,
        elements=elements,
        consent_recorded=consent_recorded,
        consent_problem=problem,
        disappeared_on=disappeared_on,
        urgent=urgent,
        warnings=warnings,
    )
