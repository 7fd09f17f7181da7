"""Writes that carry a rule: the review workflow and merging two cases.

Each function takes keyword-only arguments, checks who may do it, and records the step in the
case's history with the user (`history_user`) and a change reason; the history row's date is
the "when".
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseEvent,
    Citizenship,
    Consent,
    PersonName,
    Relationship,
    Residence,
    Source,
    Submission,
    Testimony,
)
from casetracker.access import ALL_ROLES, PUBLISHING_ROLES, is_site_staff

State = Case.PublicationState


def _holds_role(user, case, roles):
    if is_site_staff(user):
        return True
    return (
        user.is_active
        and user.organizations_with_role(*roles).filter(pk=case.organization_id).exists()
    )


def _require_role(user, case, roles, message):
    if not _holds_role(user, case, roles):
        raise PermissionDenied(message)


def _lock(case):
    """The case as it is in the database now, locked until the transaction ends."""
    # of=("self",): PostgreSQL cannot lock the empty side of the outer join to consent.
    return Case.objects.select_for_update(of=("self",)).select_related("consent").get(pk=case.pk)


def _record(case, *, by, reason, update_fields):
    case._history_user = by
    case._change_reason = reason
    # The row is locked (_lock), so a plain increment is safe.
    case.version += 1
    case.full_clean(exclude=["person", "organization"], validate_unique=False)
    case.save(update_fields=[*update_fields, "version", "updated_at"])
    return case


def _move(case, *, to, by, allowed, reason):
    if case.publication_state not in allowed:
        raise ValidationError(
            _("A case that is %(state)s cannot be moved to %(target)s.")
            % {"state": case.get_publication_state_display(), "target": State(to).label}
        )
    case.publication_state = to
    return _record(case, by=by, reason=reason, update_fields=["publication_state"])


def editors_of(case):
    """The users who have changed the case itself, as its history records them."""
    return set(
        case.history.exclude(history_user=None).values_list("history_user", flat=True).distinct()
    )


def publication_problems(case):
    """What stands in the way of publishing, as sentences a volunteer understands."""
    problems = []
    consent = getattr(case, "consent", None)
    if consent is None or not consent.consent_to_publish:
        problems.append(_("No consent to publish is recorded. Record the family's consent first."))
    elif consent.withdrawn_at is not None:
        problems.append(_("The family has withdrawn consent; the case cannot be published."))
    return problems


@transaction.atomic
def submit_for_review(*, case, by):
    case = _lock(case)
    _require_role(by, case, ALL_ROLES, _("Only members of the case's organization may do this."))
    return _move(
        case, to=State.IN_REVIEW, by=by, allowed=[State.DRAFT], reason="submitted for review"
    )


@transaction.atomic
def publish_case(*, case, by):
    case = _lock(case)
    _require_role(
        by, case, PUBLISHING_ROLES, _("Only a reviewer of the case's organization may publish it.")
    )
    if case.publication_state != State.IN_REVIEW:
        raise ValidationError(_("Only a case in review can be published. Submit it first."))
    if editors_of(case) == {by.pk}:
        raise PermissionDenied(
            _("Four eyes: you are the only person who has edited this case. Another reviewer "
              "must publish it.")
        )  # fmt: skip
    problems = publication_problems(case)
    if problems:
        raise ValidationError(problems)
    if case.published_at is None:
        case.published_at = timezone.now()
    case.publication_state = State.PUBLISHED
    return _record(
        case, by=by, reason="published", update_fields=["publication_state", "published_at"]
    )


@transaction.atomic
def withdraw_case(*, case, by):
    """Takes a case off the public site (while keeping it and its history)."""
    case = _lock(case)
    _require_role(by, case, ALL_ROLES, _("Only members of the case's organization may do this."))
    return _move(
        case,
        to=State.WITHDRAWN,
        by=by,
        allowed=[State.DRAFT, State.IN_REVIEW, State.PUBLISHED],
        reason="withdrawn",
    )


@transaction.atomic
def return_to_draft(*, case, by):
    case = _lock(case)
    _require_role(
        by, case, PUBLISHING_ROLES, _("Only a reviewer of the case's organization may do this.")
    )
    return _move(
        case,
        to=State.DRAFT,
        by=by,
        allowed=[State.IN_REVIEW, State.PUBLISHED, State.WITHDRAWN],
        reason="returned to draft",
    )


@transaction.atomic
def withdraw_consent(*, case, by, notes=""):
    """The family withdraws consent: Case.objects.public() drops the case at once."""
    case = _lock(case)
    _require_role(by, case, ALL_ROLES, _("Only members of the case's organization may do this."))
    consent = getattr(case, "consent", None)
    if consent is None:
        consent = Consent(case=case, consent_to_publish=False)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("Consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    if notes:
        consent.withdrawal_notes = "\n".join(filter(None, [consent.withdrawal_notes, notes]))
    consent._history_user = by
    consent._change_reason = "consent withdrawn"
    consent.full_clean()
    consent.save()
    return _record(case, by=by, reason="consent withdrawn", update_fields=[])


def _save_moved(row, *, by, reason):
    row._history_user = by
    row._change_reason = reason
    row.save()


@transaction.atomic
def merge_cases(*, keep, merge, by):
    """Move everything `merge` holds onto `keep`; `merge` is withdrawn, not deleted.

    Rows are saved one by one, not updated in bulk, so that each move is in the row's own
    history (with the reason) and the history before the move stays with the row.
    """
    if not is_site_staff(by):
        raise PermissionDenied(_("Only site staff may merge cases."))
    if keep.pk == merge.pk:
        raise ValidationError(_("A case cannot be merged into itself."))
    # Lock in a fixed order, so that two merges of the same pair cannot deadlock.
    locked = {case.pk: _lock(case) for case in sorted([keep, merge], key=lambda c: c.pk)}
    keep, merge = locked[keep.pk], locked[merge.pk]
    reason = f"merged #{merge.entry_number} into #{keep.entry_number}"

    for model in (CaseEvent, Testimony, Source):
        for row in model.objects.filter(case=merge):
            row.case = keep
            _save_moved(row, by=by, reason=reason)
    for submission in Submission.objects.filter(case=merge):
        submission.case = keep
        submission.save(update_fields=["case"])
    for action in merge.advocacy_actions.all():
        action.cases.add(keep)
        action.cases.remove(merge)

    old_person, new_person = merge.person, keep.person
    primary_scripts = set(
        new_person.names.filter(kind=PersonName.Kind.PRIMARY).values_list("script", flat=True)
    )
    for name in PersonName.objects.filter(person=old_person):
        name.person = new_person
        if name.kind == PersonName.Kind.PRIMARY and name.script in primary_scripts:
            name.kind = PersonName.Kind.ALIAS
        _save_moved(name, by=by, reason=reason)
    for model in (Citizenship, Residence):
        held = set(model.objects.filter(person=new_person).values_list("country", flat=True))
        for row in model.objects.filter(person=old_person):
            if model is Citizenship and row.country_id in held:
                continue
            row.person = new_person
            _save_moved(row, by=by, reason=reason)
    known = set(Relationship.objects.filter(person=new_person).values_list("relative", "kind"))
    for row in Relationship.objects.filter(person=old_person):
        if (row.relative_id, row.kind) in known or row.relative_id == new_person.pk:
            continue
        row.person = new_person
        _save_moved(row, by=by, reason=reason)

    # Where the merged-away person appears in other records: as a relative, a testifier, or
    # whoever gave consent. Those records now point at the person kept.
    relatives_of = set(
        Relationship.objects.filter(relative=new_person).values_list("person", "kind")
    )
    for row in Relationship.objects.filter(relative=old_person):
        if (row.person_id, row.kind) in relatives_of or row.person_id == new_person.pk:
            continue
        row.relative = new_person
        _save_moved(row, by=by, reason=reason)
    for row in Testimony.objects.filter(testifier=old_person):
        row.testifier = new_person
        _save_moved(row, by=by, reason=reason)
    for row in Consent.objects.filter(given_by=old_person):
        row.given_by = new_person
        _save_moved(row, by=by, reason=reason)
    if new_person.family_id is None and old_person.family_id is not None:
        new_person.family_id = old_person.family_id
        _save_moved(new_person, by=by, reason=reason)

    old_consent = getattr(merge, "consent", None)
    if old_consent is not None and getattr(keep, "consent", None) is None:
        old_consent.case = keep
        _save_moved(old_consent, by=by, reason=reason)

    merge.publication_state = State.WITHDRAWN
    merge.notes = "\n".join(
        filter(None, [merge.notes, _("Merged into case #%(n)s.") % {"n": keep.entry_number}])
    )
    _record(merge, by=by, reason=reason, update_fields=["publication_state", "notes"])
    _record(keep, by=by, reason=reason, update_fields=[])
    keep.refresh_detention_year()
    return keep
