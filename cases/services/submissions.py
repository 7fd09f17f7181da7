"""What staff do with a submission: turn it into a case, merge it into one, or reject it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Consent, Person, PersonName, Submission
from cases.names import detect_script
from orgs.access import organizations_for
from orgs.audit import record
from orgs.models import AuditEvent

# --- what staff do with a submission ---------------------------------------------------------


def likely_cases(*, submission, user, limit=10):
    """Cases the user works on whose person may be the one the submission describes: a help
    for merging, never shown outside the admin."""
    from cases.duplicates import likely_duplicates

    people = likely_duplicates(
        names=submission.detained_names.splitlines()[:20], birth_year=submission.birth_year
    )
    return (
        Case.objects.visible_to(user)
        .filter(person__in=people.values("pk"))
        .select_related("person")
        .prefetch_related("person__names")
        .order_by("-entry_number")[:limit]
    )


def _check_open(submission):
    if submission.state != Submission.State.NEW:
        raise ValidationError(_("This submission has already been handled."))


def _record(submission, user, action, case=None):
    record(
        AuditEvent.Kind.SUBMISSION_HANDLED,
        user=user,
        target=f"submission:{submission.pk}",
        details={"action": action, "case": case.pk if case else None},
    )


@transaction.atomic
def convert_to_case(*, submission, organization, user):
    """A new draft case for `organization` from the submission: the person with their names, the
    consent as the family gave it. The account goes to the private notes; the contact stays on
    the submission."""
    _check_open(submission)
    if not organizations_for(user).filter(pk=organization.pk).exists():
        raise PermissionDenied
    person = Person(gender=Person.Gender.UNKNOWN, organization=organization)
    person.full_clean()
    person.save()
    seen_scripts = set()
    for line in submission.detained_names.splitlines():
        value = line.strip()[:200]
        if not value:
            continue
        # A line without letters of a known script is kept as typed, filed under Latin.
        script = detect_script(value) or PersonName.Script.LATIN
        kind = PersonName.Kind.ALIAS if script in seen_scripts else PersonName.Kind.PRIMARY
        seen_scripts.add(script)
        name = PersonName(person=person, value=value, script=script, kind=kind)
        name.full_clean()
        name.save()
    if submission.birth_year:
        from datetime import date

        person.birth_date = date(submission.birth_year, 1, 1)
        person.birth_date_precision = "year"
        person.full_clean()
        person.save(update_fields=["birth_date", "birth_date_precision"])
    notes = _("From the public submission of %(date)s.") % {
        "date": f"{submission.received_at:%Y-%m-%d}"
    }
    case = Case(
        person=person,
        organization=organization,
        created_by=user,
        notes="\n\n".join(
            part
            for part in (notes, submission.dates, submission.places, submission.account)
            if part
        ),
    )
    case.full_clean(exclude=["entry_number"])
    case.save()
    consent = Consent(
        case=case,
        consent_to_document=submission.consent_to_document,
        consent_to_publish=submission.consent_to_publish,
        given_on=submission.received_at.date(),
    )
    consent.full_clean()
    consent.save()
    _close(submission, user, Submission.State.CONVERTED, case)
    _record(submission, user, "converted", case)
    return case


@transaction.atomic
def merge_into_case(*, submission, case, user):
    """Attach the submission to a case the user may work on; its account joins the case's
    private notes."""
    _check_open(submission)
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied
    # The notes and version as they are now, locked: not as the merge form loaded them.
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    addition = _("Public submission of %(date)s merged:") % {
        "date": f"{submission.received_at:%Y-%m-%d}"
    }
    case.notes = "\n\n".join(part for part in (case.notes, addition, submission.account) if part)
    # A new version, so that an admin form opened before the merge cannot overwrite these notes.
    case.version += 1
    case.save(update_fields=["notes", "version", "updated_at"])
    _close(submission, user, Submission.State.MERGED, case)
    _record(submission, user, "merged", case)
    return case


@transaction.atomic
def reject_submission(*, submission, user, reason=""):
    _check_open(submission)
    if reason:
        submission.staff_notes = "\n\n".join(p for p in (submission.staff_notes, reason) if p)
    _close(submission, user, Submission.State.REJECTED, None)
    _record(submission, user, "rejected")


def _close(submission, user, state, case):
    submission.state = state
    submission.case = case
    submission.handled_by = user
    submission.handled_at = timezone.now()
    submission.full_clean()
    submission.save(update_fields=["state", "case", "handled_by", "handled_at", "staff_notes"])
