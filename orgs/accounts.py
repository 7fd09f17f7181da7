"""Members' accounts: who may reset whose, and the one-time codes that a reset hands over.

Rules kept here:
- Nobody chooses another member's password or second factor. A coordinator (or site staff)
  issues a one-time code instead and hands it to the member out of band: a password code to
  choose a new password, an enrolment code to set up a new phone. Each code is shown once, only
  its hash is stored, it expires after ACCOUNT_CODE_HOURS, and using it is in the audit log, so
  a coordinator who used a member's code themselves would leave a trace and a member who can no
  longer sign in.
- A coordinator manages the members of the groups they coordinate who belong to no other group
  and are not site staff: one group cannot take over an account another group relies on.
  Site staff manage anyone, except that only a superuser manages a superuser. Nobody resets
  their own account this way.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orgs.access import MANAGING_ROLES, is_site_staff, organizations_for
from orgs.audit import record
from orgs.models import AccountCode, AuditEvent, Membership, User

# 16 characters from 32 that cannot be misread for one another (no 0/O, 1/I): 80 bits.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
# A code typed on a Russian or Kazakh keyboard layout may hold Cyrillic look-alikes of its letters.
CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНРСТХУ", "ABEKMHPCTXY")


def managed_users(user):
    """The accounts a coordinator may manage: members of their groups only, who are not also
    members elsewhere and are not site staff, so one group cannot take over another's account."""
    if is_site_staff(user):
        return User.objects.all()
    groups = organizations_for(user, *MANAGING_ROLES)
    elsewhere = Membership.objects.exclude(organization__in=groups).values("user")
    return (
        User.objects.filter(
            pk__in=Membership.objects.filter(organization__in=groups).values("user")
        )
        .exclude(pk__in=elsewhere)
        .exclude(is_superuser=True)
        .exclude(is_site_staff=True)
    )


def may_manage_account(actor, member) -> bool:
    """Whether `actor` may reset the password or the second factor of `member`."""
    if not actor.is_active or not actor.is_authenticated or actor.pk == member.pk:
        return False
    if member.is_superuser:
        return actor.is_superuser
    if is_site_staff(actor):
        return True
    return managed_users(actor).filter(pk=member.pk).exists()


def user_target(user) -> str:
    return f"user:{user.pk}"


# --- one-time codes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    """A code as issued: the only moment its clear text exists."""

    purpose: str
    code: str
    expires_at: datetime


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(typed: str) -> str:
    """What the member typed, in the form that was hashed: capitals, dashes between groups of
    four, whatever spacing, dashes or case they used."""
    raw = "".join(
        ch for ch in typed.upper().translate(CYRILLIC_LOOKALIKES) if ch.isascii() and ch.isalnum()
    )
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def issue_code(*, member, purpose, actor=None, request=None) -> IssuedCode:
    """Issue a new code of `purpose` for `member`, replacing any earlier one, and record it.

    `actor` is None for a code made from the command line."""
    code = _new_code()
    expires_at = timezone.now() + timedelta(hours=settings.ACCOUNT_CODE_HOURS)
    with transaction.atomic():
        # Delete and create rather than update: a pending enrolment that refers to the old code
        # (by its id) must stop working.
        AccountCode.objects.filter(user=member, purpose=purpose).delete()
        AccountCode.objects.create(
            user=member,
            purpose=purpose,
            code_hash=AccountCode.hash(code),
            issued_by=actor,
            expires_at=expires_at,
        )
    kind = (
        AuditEvent.Kind.ENROLMENT_CODE
        if purpose == AccountCode.Purpose.ENROLMENT
        else AuditEvent.Kind.PASSWORD_RESET
    )
    details = {"member": member.get_username(), "expires": expires_at.isoformat()}
    if actor is None:
        details["by"] = "command line"
    record(kind, user=actor, request=request, target=user_target(member), details=details)
    return IssuedCode(purpose=purpose, code=code, expires_at=expires_at)


def valid_code(*, member, purpose, typed):
    """The member's unexpired code of `purpose` that matches what they typed, or None."""
    if member is None or not typed:
        return None
    return AccountCode.objects.filter(
        user=member,
        purpose=purpose,
        code_hash=AccountCode.hash(normalize_code(typed)),
        expires_at__gt=timezone.now(),
    ).first()


def use_code(*, member, purpose, code_id) -> bool:
    """Spend a code (inside the caller's transaction): True if it was still there to spend."""
    deleted, _ = AccountCode.objects.filter(
        pk=code_id, user=member, purpose=purpose, expires_at__gt=timezone.now()
    ).delete()
    return bool(deleted)


def pending_codes(users):
    """{user id: {purpose: expiry}} of the unexpired codes of `users`, in one query."""
    pending = {}
    for user_id, purpose, expires_at in AccountCode.objects.filter(
        user__in=users, expires_at__gt=timezone.now()
    ).values_list("user_id", "purpose", "expires_at"):
        pending.setdefault(user_id, {})[purpose] = expires_at
    return pending


# --- services ----------------------------------------------------------------------------------


def issue_password_reset(*, actor, member, request=None) -> IssuedCode:
    """A password code for `member`. Their current password keeps working until they use it:
    issuing a reset alone never locks anyone out."""
    if not may_manage_account(actor, member):
        raise PermissionError("This user may not reset that member's password.")
    return issue_code(
        member=member, purpose=AccountCode.Purpose.PASSWORD, actor=actor, request=request
    )


def set_password_with_code(*, member, code, password) -> None:
    """Give `member` the password they chose, spending their password code. The password change
    itself goes to the audit log through the user's save (orgs.audit)."""
    with transaction.atomic():
        if not use_code(member=member, purpose=AccountCode.Purpose.PASSWORD, code_id=code.pk):
            raise PermissionError("The code was spent or replaced meanwhile.")
        member.set_password(password)
        member.save(update_fields=["password"])
