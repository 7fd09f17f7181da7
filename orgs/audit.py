"""The audit log: one function writes it, and the auth and role signals feed it.

    from orgs.audit import record
    record(AuditEvent.Kind.EXPORT, request=request, target="cases", details={...})

What goes into `details` is identifiers and labels (entry numbers, states, field names, row
counts), never the value of a private field and never what someone searched for. Consent and
publication changes are fed from `cases.signals` (this app does not import `cases`).
"""

import ipaddress

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from orgs.models import AuditEvent, Membership, User

# Filter parameters that carry what someone typed to find a person: never written to the log.
SEARCH_PARAMETERS = frozenset({"q", "name", "names", "search", "query", "term"})
SEARCH_REDACTED = "[search terms are not logged]"


def current_request():
    """The request being served, when a model signal fires inside one (admin saves).

    simple-history's middleware keeps it for its own `history_user`; the audit log reuses it."""
    return getattr(HistoricalRecords.context, "request", None)


def _address(request):
    if request is None:
        return None
    from casetracker.security import client_ip

    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(kind, *, user=None, request=None, target="", details=None, username=""):
    """Write one audit event. `user` defaults to the signed-in user of `request`."""
    if request is None:
        request = current_request()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if user is not None and not username:
        username = user.get_username()
    event = AuditEvent(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or "")[:150],
        ip_address=_address(request),
        target=str(target)[:200],
        details=details or {},
    )
    event.save()
    return event


def redact_filters(filters):
    """A copy of an export's filter parameters with the search terms taken out."""
    clean = {}
    for key, value in (filters or {}).items():
        if key in SEARCH_PARAMETERS:
            if value not in (None, "", [], ()):
                clean[key] = SEARCH_REDACTED
            continue
        if isinstance(value, list | tuple):
            clean[key] = [str(v) for v in value]
        elif value is None or isinstance(value, bool | int | float):
            clean[key] = value
        else:
            clean[key] = str(value)
    return clean


def record_export(*, request, export_format, filters, rows, target="cases"):
    """Log one export: who, when, which filter (without search terms), how many rows."""
    return record(
        AuditEvent.Kind.EXPORT,
        request=request,
        target=target,
        details={"format": export_format, "filters": redact_filters(filters), "rows": rows},
    )


# --- sign-in ------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_login")
def _login(sender, request, user, **kwargs):
    record(AuditEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditEvent.Kind.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password masked; only the name typed is kept.
    record(
        AuditEvent.Kind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    # The sign-in slow-down (casetracker.auth_backends) refuses through django-axes too.
    wait = getattr(request, "sign_in_wait_seconds", 0)
    if wait:
        record(
            AuditEvent.Kind.LOGIN_SLOWED,
            request=request,
            username=username or "",
            details={"wait_seconds": wait},
        )
        return
    record(AuditEvent.Kind.LOCKOUT, request=request, username=username or "")


# --- roles -------------------------------------------------------------------------------
# The values as loaded are remembered on the instance (no extra query), and compared on save.

USER_ROLE_FLAGS = ("is_staff", "is_site_staff", "is_superuser", "is_active")


@receiver(post_init, sender=Membership, dispatch_uid="audit_membership_init")
def _membership_loaded(sender, instance, **kwargs):
    instance._audit_role = instance.__dict__.get("role")


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership_saved")
def _membership_saved(sender, instance, created, **kwargs):
    previous = None if created else instance._audit_role
    if created or previous != instance.role:
        record(
            AuditEvent.Kind.ROLE_CHANGE,
            target=f"user:{instance.user_id}",
            details={
                "member": instance.user.get_username(),
                "organization": instance.organization_id,
                "from": previous,
                "to": instance.role,
            },
        )
    instance._audit_role = instance.role


@receiver(post_delete, sender=Membership, dispatch_uid="audit_membership_deleted")
def _membership_deleted(sender, instance, **kwargs):
    record(
        AuditEvent.Kind.ROLE_CHANGE,
        target=f"user:{instance.user_id}",
        details={
            "member": instance.user.get_username(),
            "organization": instance.organization_id,
            "from": instance.role,
            "to": None,
        },
    )


@receiver(post_init, sender=User, dispatch_uid="audit_user_init")
def _user_loaded(sender, instance, **kwargs):
    instance._audit_flags = {flag: instance.__dict__.get(flag) for flag in USER_ROLE_FLAGS}


@receiver(post_save, sender=User, dispatch_uid="audit_user_saved")
def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    now = {flag: instance.__dict__.get(flag) for flag in USER_ROLE_FLAGS}
    before = instance._audit_flags
    if created:
        # A new plain account is not a role change; a new staff or superuser account is.
        changed = {
            flag: {"from": None, "to": value}
            for flag, value in now.items()
            if value and flag != "is_active"
        }
    else:
        changed = {
            flag: {"from": before[flag], "to": value}
            for flag, value in now.items()
            if None not in (before[flag], value) and before[flag] != value
        }
    if changed:
        record(
            AuditEvent.Kind.ROLE_CHANGE,
            target=f"user:{instance.pk}",
            details={"member": instance.get_username(), "flags": changed},
        )
    instance._audit_flags = now
    # `_password` holds the new password from set_password() until the save that stores it:
    # a change, by the member or by site staff. (A rehash at sign-in clears it before saving.)
    if not created and getattr(instance, "_password", None) is not None:
        request = current_request()
        actor = getattr(request, "user", None) if request is not None else None
        if actor is None or not actor.is_authenticated:
            # A member who used a password code is not signed in yet: it is their own act.
            actor = instance
        record(
            AuditEvent.Kind.PASSWORD_CHANGED,
            user=actor,
            request=request,
            target=f"user:{instance.pk}",
            details={"member": instance.get_username()},
        )
