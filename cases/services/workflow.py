"""The review workflow: one table of steps, who may take which step now, and taking it.

`TRANSITIONS` says, for each step, from which publication states it starts, where it leads, who
may take it and what the admin says about it. `check(user, case, transition)` is the one rule:
it answers whether this user may take this step on this case now and, if not, why, in sentences
a volunteer understands. `available_transitions(user, case)` asks it for every step that starts
from the case's state (the admin only loops over the answer), and `apply(...)` asks it again
under a row lock before doing anything, so that no page offers a step that is then refused.

Every step is recorded in the case's history with the user (`history_user`) and a change
reason; the history row's date is the "when".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cases.models import Case, Consent
from cases.services import publication
from cases.services.history import attribute_change
from orgs.access import ALL_ROLES, PUBLISHING_ROLES, is_site_staff
from orgs.models import User

State = Case.PublicationState


# --- shared by every step (and by merge) ----------------------------------------------------


def lock_case(case: Case) -> Case:
    """The case as it is in the database now, locked until the transaction ends."""
    # of=("self",): PostgreSQL cannot lock the empty side of the outer join to consent.
    return Case.objects.select_for_update(of=("self",)).select_related("consent").get(pk=case.pk)


def record_change(case: Case, *, by: User, reason: str, update_fields: list[str]) -> Case:
    attribute_change(case, by=by, reason=reason)
    # The row is locked (lock_case), so a plain increment is safe.
    case.version += 1
    case.full_clean(exclude=["person", "organization"], validate_unique=False)
    case.save(update_fields=[*update_fields, "version", "updated_at"])
    return case


def publication_problems(case: Case) -> list[str]:
    """What stands in the way of publishing, as sentences a volunteer understands."""
    problems = []
    consent = _consent_of(case)
    if consent is None or not consent.consent_to_publish:
        problems.append(_("No consent to publish is recorded. Record the family's consent first."))
    elif consent.withdrawn_at is not None:
        problems.append(_("The family has withdrawn consent; the case cannot be published."))
    return problems


def _consent_of(case: Case) -> Consent | None:
    return getattr(case, "consent", None)


def _has_live_consent(case: Case) -> bool:
    consent = _consent_of(case)
    return consent is not None and consent.withdrawn_at is None


# --- what each step checks and does, beyond moving the state --------------------------------


def _has_withdrawn_consent(case: Case) -> bool:
    consent = _consent_of(case)
    return consent is not None and consent.withdrawn_at is not None


def _four_eyes(user: User, case: Case) -> list[str]:
    """The people who changed the case's content since its last publication, never workflow
    clicks, decide: a reviewer may not publish what only they changed."""
    problem = publication.four_eyes_problem(case, user)
    return [problem] if problem else []


def _revision_differs(user: User, case: Case) -> list[str]:
    if publication.publication_differences(case):
        return []
    return [_("The public entry already shows this revision.")]


def _consent_allows_publication(user: User, case: Case) -> list[str]:
    return publication_problems(case)


def _evidence_assessed(user: User, case: Case) -> list[str]:
    """A case whose evidence nobody has assessed says nothing a reader can weigh: never public."""
    if case.evidence_level == Case.EvidenceLevel.UNREVIEWED:
        return [
            _(
                "The evidence level is 0 (not yet assessed). Assess the evidence and set a level "
                "from 1 to 4 before publishing."
            )
        ]
    return []


def _publish(case: Case, user: User) -> list[str]:
    """The case's first public entry: built from the working record as it is now."""
    publication.publish_entries([case.pk], by=user, reason="published")
    if case.published_at is not None:
        return []
    case.published_at = timezone.now()
    return ["published_at"]


def _publish_revision(case: Case, user: User) -> list[str]:
    publication.publish_entries([case.pk], by=user, reason="revision published")
    return []


def _take_down(reason: str) -> Callable[[Case, User], list[str]]:
    def take_down(case: Case, user: User) -> list[str]:
        publication.take_down(case=case, by=user, reason=reason)
        return []

    return take_down


def _record_consent_withdrawal(case: Case, user: User, *, notes: str = "") -> list[str]:
    """The family withdraws consent: the public entry goes in this transaction, a published
    case becomes withdrawn, and the withdrawal stays on record."""
    consent = case.consent  # check() lets the step through only with a live consent
    consent.withdrawn_at = timezone.now()
    if notes:
        consent.withdrawal_notes = "\n".join(filter(None, [consent.withdrawal_notes, notes]))
    attribute_change(consent, by=user, reason="consent withdrawn")
    consent.full_clean()
    # The entry goes first, so that the consent's own signal finds nothing left to take down.
    publication.take_down(case=case, by=user, reason="consent withdrawn")
    consent.save()
    if case.publication_state != State.PUBLISHED:
        return []
    case.publication_state = State.WITHDRAWN
    return ["publication_state"]


def _record_consent_given_again(case: Case, user: User) -> list[str]:
    """The family gives consent again: recorded as given today, the withdrawal kept in the
    consent's history. The case goes public again only when a reviewer publishes it."""
    consent = case.consent  # check() lets the step through only with a withdrawn consent
    consent.withdrawn_at = None
    consent.given_on = timezone.localdate()
    attribute_change(consent, by=user, reason="consent given again")
    consent.full_clean()
    consent.save()
    return []


# --- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One step of the workflow, as the service checks it and the admin shows it."""

    name: str
    label: Promise
    # The publication states the step starts from, and the one it leads to (None: unchanged).
    sources: frozenset[str]
    target: str | None
    # Roles in the case's own organization that may take the step; site staff may take any.
    roles: tuple[str, ...]
    role_refusal: Promise
    explain: Promise  # on the confirmation page
    done: Promise  # after the step
    history_reason: str  # the history's change reason: stored, so never translated
    destructive: bool = False
    # The confirmation page asks for private notes, passed to apply() as `notes`.
    asks_for_notes: bool = False
    # Only while the case holds a consent that has not been withdrawn (or one that has).
    needs_live_consent: bool = False
    needs_withdrawn_consent: bool = False
    # Further rules, each giving the reasons (if any) that forbid the step.
    checks: tuple[Callable[[User, Case], list[str]], ...] = ()
    # What the step does besides moving the state; returns the case's fields it changed.
    perform: Callable[..., list[str]] | None = None

    def starts_from(self, case: Case) -> bool:
        if case.publication_state not in self.sources:
            return False
        if self.needs_withdrawn_consent:
            return _has_withdrawn_consent(case)
        return _has_live_consent(case) if self.needs_live_consent else True

    def not_from_here(self, case: Case) -> str:
        """Why the step does not start from where the case is."""
        if self.needs_live_consent and case.publication_state in self.sources:
            if _consent_of(case) is None:
                return _("No consent is recorded, so there is none to withdraw.")
            return _("Consent was already withdrawn.")
        if self.target is None:
            return _("A case that is %(state)s cannot take this step.") % {
                "state": case.get_publication_state_display()
            }
        return _("A case that is %(state)s cannot be moved to %(target)s.") % {
            "state": case.get_publication_state_display(),
            "target": State(self.target).label,
        }


_MEMBERS_ONLY = gettext_lazy("Only members of the case's organization may do this.")

TRANSITIONS: Mapping[str, Transition] = {
    step.name: step
    for step in (
        Transition(
            name="submit",
            label=gettext_lazy("Submit for review"),
            sources=frozenset({State.DRAFT}),
            target=State.IN_REVIEW,
            roles=ALL_ROLES,
            role_refusal=_MEMBERS_ONLY,
            explain=gettext_lazy(
                "The case goes to a reviewer of the organization, who may publish it."
            ),
            done=gettext_lazy("The case is in review."),
            history_reason="submitted for review",
        ),
        Transition(
            name="publish",
            label=pgettext_lazy("workflow step", "Publish"),
            sources=frozenset({State.IN_REVIEW}),
            target=State.PUBLISHED,
            roles=PUBLISHING_ROLES,
            role_refusal=gettext_lazy("Only a reviewer of the case's organization may publish it."),
            explain=gettext_lazy(
                "The case appears on the public site, showing what the family's consent allows."
            ),
            done=gettext_lazy("The case is published."),
            history_reason="published",
            checks=(_four_eyes, _consent_allows_publication, _evidence_assessed),
            perform=_publish,
        ),
        Transition(
            name="publish_revision",
            label=gettext_lazy("Publish this revision"),
            sources=frozenset({State.PUBLISHED}),
            target=None,
            roles=PUBLISHING_ROLES,
            role_refusal=gettext_lazy("Only a reviewer of the case's organization may publish it."),
            explain=gettext_lazy(
                "The public entry is replaced by the case as it is now (see the differences on "
                "the case page), as far as the family's consent allows."
            ),
            done=gettext_lazy("The new revision is public."),
            history_reason="revision published",
            checks=(
                _revision_differs,
                _four_eyes,
                _consent_allows_publication,
                _evidence_assessed,
            ),
            perform=_publish_revision,
        ),
        Transition(
            name="withdraw",
            label=gettext_lazy("Withdraw the case"),
            sources=frozenset({State.DRAFT, State.IN_REVIEW, State.PUBLISHED}),
            target=State.WITHDRAWN,
            roles=ALL_ROLES,
            role_refusal=_MEMBERS_ONLY,
            explain=gettext_lazy(
                "The case leaves the public site at once. It is kept, with its history."
            ),
            done=gettext_lazy("The case is withdrawn."),
            history_reason="withdrawn",
            destructive=True,
            perform=_take_down("case withdrawn"),
        ),
        Transition(
            name="draft",
            label=gettext_lazy("Return to draft"),
            sources=frozenset({State.IN_REVIEW, State.PUBLISHED, State.WITHDRAWN}),
            target=State.DRAFT,
            roles=PUBLISHING_ROLES,
            role_refusal=gettext_lazy("Only a reviewer of the case's organization may do this."),
            explain=gettext_lazy(
                "The case goes back to its volunteers; it leaves the public site."
            ),
            done=gettext_lazy("The case is a draft again."),
            history_reason="returned to draft",
            perform=_take_down("returned to draft"),
        ),
        Transition(
            name="withdraw_consent",
            label=gettext_lazy("Withdraw consent"),
            sources=frozenset(State.values),
            target=None,
            roles=ALL_ROLES,
            role_refusal=_MEMBERS_ONLY,
            explain=gettext_lazy(
                "Record that the family withdrew consent. The case leaves the public site at "
                "once, whatever its state, and cannot be published until consent is recorded "
                "again."
            ),
            done=gettext_lazy("Consent is withdrawn; the case is off the public site."),
            history_reason="consent withdrawn",
            destructive=True,
            asks_for_notes=True,
            needs_live_consent=True,
            perform=_record_consent_withdrawal,
        ),
        Transition(
            name="renew_consent",
            label=gettext_lazy("Record consent given again"),
            sources=frozenset(State.values),
            target=None,
            roles=ALL_ROLES,
            role_refusal=_MEMBERS_ONLY,
            explain=gettext_lazy(
                "Record that the family gave consent again today. The withdrawal stays on "
                "record, and the case goes public again only when a reviewer publishes it."
            ),
            done=gettext_lazy(
                "Consent is recorded again. Submit the case for review to publish it."
            ),
            history_reason="consent given again",
            needs_withdrawn_consent=True,
            perform=_record_consent_given_again,
        ),
    )
}


# --- asking and doing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Whether a user may take a step on a case now; if not, the reasons why."""

    transition: Transition
    starts_here: bool
    reasons: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        return not self.reasons


class TransitionRefused(PermissionDenied):
    """A step the rules forbid; `messages` holds every reason, as check() gave them."""

    def __init__(self, reasons: tuple[str, ...] | list[str]) -> None:
        self.messages = list(reasons)
        super().__init__(" ".join(self.messages))


def _roles_in_organization(user: User, case: Case) -> frozenset[str]:
    """The roles the user holds in the case's own organization (never in another one)."""
    if is_site_staff(user):
        return frozenset(ALL_ROLES)
    if not (user.is_active and user.is_authenticated):
        return frozenset()
    return frozenset(
        user.memberships.filter(organization_id=case.organization_id).values_list("role", flat=True)
    )


def check(
    user: User, case: Case, transition: Transition, *, roles: frozenset[str] | None = None
) -> Availability:
    """The one rule for every step: may `user` take `transition` on `case` now, and if not, why.

    `roles` are the user's roles in the case's organization, when the caller read them already.
    """
    if not transition.starts_from(case):
        return Availability(transition, False, (transition.not_from_here(case),))
    if roles is None:
        roles = _roles_in_organization(user, case)
    if not roles & set(transition.roles):
        return Availability(transition, True, (str(transition.role_refusal),))
    reasons = [reason for rule in transition.checks for reason in rule(user, case)]
    return Availability(transition, True, tuple(reasons))


def available_transitions(user: User, case: Case) -> list[Availability]:
    """Every step that starts from where the case is, in the table's order, each with whether
    `user` may take it now and, if not, why."""
    roles = _roles_in_organization(user, case)
    return [
        check(user, case, transition, roles=roles)
        for transition in TRANSITIONS.values()
        if transition.starts_from(case)
    ]


@transaction.atomic
def apply(*, user: User, case: Case, name: str, **extra: Any) -> Case:
    """Take the step `name` on `case` as `user`, after asking check() under a row lock.

    Raises TransitionRefused with every reason when the rules forbid the step, LookupError for
    a name that is not in TRANSITIONS. `extra` goes to the step's own action (the notes of a
    consent withdrawal).
    """
    try:
        transition = TRANSITIONS[name]
    except KeyError:
        raise LookupError(f"No workflow step is called {name!r}.") from None
    case = lock_case(case)
    availability = check(user, case, transition)
    if not availability.allowed:
        raise TransitionRefused(availability.reasons)
    update_fields = transition.perform(case, user, **extra) if transition.perform else []
    if transition.target is not None:
        case.publication_state = transition.target
        update_fields.append("publication_state")
    return record_change(
        case, by=user, reason=transition.history_reason, update_fields=update_fields
    )
