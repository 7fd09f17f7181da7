"""The review workflow: submit, publish, withdraw, return to draft, withdraw consent.

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
    Consent,
)
from cases.services import publication
from orgs.access import ALL_ROLES, PUBLISHING_ROLES, is_site_staff

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


def lock_case(case):
    """The case as it is in the database now, locked until the transaction ends."""
    # of=("self",): PostgreSQL cannot lock the empty side of the outer join to consent.
    return Case.objects.select_for_update(of=("self",)).select_related("consent").get(pk=case.pk)


def record_change(case, *, by, reason, update_fields):
    case._history_user = by
    case._change_reason = reason
    # The row is locked (lock_case), so a plain increment is safe.
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
    return record_change(case, by=by, reason=reason, update_fields=["publication_state"])


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
    case = lock_case(case)
    _require_role(by, case, ALL_ROLES, _("Only members of the case's organization may do this."))
    return _move(
        case, to=State.IN_REVIEW, by=by, allowed=[State.DRAFT], reason="submitted for review"
    )


@transaction.atomic
def publish_case(*, case, by):
    """A case in review goes public: its first public entry (or a new revision of it)."""
    case = lock_case(case)
    _require_role(
        by, case, PUBLISHING_ROLES, _("Only a reviewer of the case's organization may publish it.")
    )
    if case.publication_state != State.IN_REVIEW:
        raise ValidationError(_("Only a case in review can be published. Submit it first."))
    _require_publishable(case, by)
    if case.published_at is None:
        case.published_at = timezone.now()
    case.publication_state = State.PUBLISHED
    record_change(
        case, by=by, reason="published", update_fields=["publication_state", "published_at"]
    )
    publication.publish_entries([case.pk], by=by, reason="published")
    return case


@transaction.atomic
def publish_revision(*, case, by):
    """A published case's working record, changed since, replaces its public entry."""
    case = lock_case(case)
    _require_role(
        by, case, PUBLISHING_ROLES, _("Only a reviewer of the case's organization may publish it.")
    )
    if case.publication_state != State.PUBLISHED:
        raise ValidationError(_("Only a published case has a revision to publish."))
    if not publication.publication_differences(case):
        raise ValidationError(_("The public entry already shows this revision."))
    _require_publishable(case, by)
    record_change(case, by=by, reason="revision published", update_fields=[])
    publication.publish_entries([case.pk], by=by, reason="revision published")
    return case


def _require_publishable(case, by):
    problem = publication.four_eyes_problem(case, by)
    if problem:
        raise PermissionDenied(problem)
    problems = publication_problems(case)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def withdraw_case(*, case, by):
    """Takes a case off the public site at once (while keeping it and its history)."""
    case = lock_case(case)
    _require_role(by, case, ALL_ROLES, _("Only members of the case's organization may do this."))
    moved = _move(
        case,
        to=State.WITHDRAWN,
        by=by,
        allowed=[State.DRAFT, State.IN_REVIEW, State.PUBLISHED],
        reason="withdrawn",
    )
    publication.take_down(case=case, by=by, reason="case withdrawn")
    return moved


@transaction.atomic
def return_to_draft(*, case, by):
    """Back to the volunteers; a published case leaves the public site on the way."""
    case = lock_case(case)
    _require_role(
        by, case, PUBLISHING_ROLES, _("Only a reviewer of the case's organization may do this.")
    )
    moved = _move(
        case,
        to=State.DRAFT,
        by=by,
        allowed=[State.IN_REVIEW, State.PUBLISHED, State.WITHDRAWN],
        reason="returned to draft",
    )
    publication.take_down(case=case, by=by, reason="returned to draft")
    return moved


@transaction.atomic
def withdraw_consent(*, case, by, notes=""):
    """The family withdraws consent: the public entry is deleted in this transaction, and a
    published case becomes withdrawn. The withdrawal stays on record."""
    case = lock_case(case)
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
    # The entry goes first, so that the consent's own signal finds nothing left to take down.
    publication.take_down(case=case, by=by, reason="consent withdrawn")
    consent.save()
    update_fields = []
    if case.publication_state == State.PUBLISHED:
        case.publication_state = State.WITHDRAWN
        update_fields.append("publication_state")
    return record_change(case, by=by, reason="consent withdrawn", update_fields=update_fields)


@transaction.atomic
def renew_consent(*, case, by):
    """The family gives consent again after withdrawing it: recorded as given today, with the
    withdrawal kept in the consent's history. The case stays off the public site until a
    reviewer publishes it again."""
    case = lock_case(case)
    _require_role(by, case, ALL_ROLES, _("Only members of the case's organization may do this."))
    consent = getattr(case, "consent", None)
    if consent is None or consent.withdrawn_at is None:
        raise ValidationError(_("Consent has not been withdrawn."))
    consent.withdrawn_at = None
    consent.given_on = timezone.localdate()
    consent._history_user = by
    consent._change_reason = "consent given again"
    consent.full_clean()
    consent.save()
    return record_change(case, by=by, reason="consent given again", update_fields=[])
