"""Two-factor sign-in (django-otp): enrolment with a QR code drawn on the server, recovery codes,
the code prompt after the password, the reset of a lost device by a coordinator or site staff,
and the unlock of a locked sign-in with the second factor.

Rules kept here:
- A password alone never sees or sets a second factor. A member without one needs a one-time
  enrolment code (orgs.accounts), handed to them by whoever created their account or reset
  their device; a member with one can only add or replace it after entering a code from it.
- The secret being enrolled lives in the session until the member confirms it with a code from
  their app; only then is a device written. Every view of the enrolment page and every
  enrolment is in the audit log.
- Who may reset whose devices is `orgs.accounts.may_manage_account`; a reset hands over a new
  enrolment code, shown once to whoever made it.
"""

import base64
import time
from binascii import unhexlify
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from axes.utils import reset as reset_lockouts
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.decorators import otp_required
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from casetracker.auth_backends import (
    clear_failed_sign_ins,
    note_failed_sign_in,
    sign_in_wait_seconds,
)
from orgs import accounts
from orgs.audit import record
from orgs.models import AccountCode, AuditEvent, Membership

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
# The recovery codes that `seed_demo --demo-users` gives every demo account. They are published
# in the README, so `check --deploy` refuses a site where any of them is stored (orgs.checks).
DEMO_RECOVERY_NAME = "demo recovery codes"
DEMO_RECOVERY_CODES = [f"demo{n:02d}" for n in range(1, 31)]
# The enrolment in progress: {"user": pk, "key": hex secret, "code": AccountCode pk or None}.
ENROLMENT_SESSION_KEY = "two_factor_enrolment"


# --- rules and services ----------------------------------------------------------------------


def has_second_factor(user):
    return user_has_device(user, confirmed=True)


def new_recovery_codes(user):
    """Replace the user's recovery codes with fresh ones; each code works once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


class EnrolmentCodeSpent(Exception):
    """The enrolment code behind an enrolment in progress was used, replaced or expired."""


def start_enrolment(request, code=None):
    """A new secret for the signed-in user, kept in their session until they confirm it.
    `code` is the enrolment code they gave (None when a verified user replaces their phone)."""
    pending = {
        "user": request.user.pk,
        "key": random_hex(20),
        "code": code.pk if code is not None else None,
    }
    request.session[ENROLMENT_SESSION_KEY] = pending
    return pending


def pending_enrolment(request):
    """The enrolment in progress in this session, if it still stands.

    One started without an enrolment code stands only while the user is verified: after a reset
    removed the device that verified them, a session that had begun to replace it needs a code
    like anyone else."""
    pending = request.session.get(ENROLMENT_SESSION_KEY)
    if not pending or pending.get("user") != request.user.pk:
        return None
    if pending.get("code") is None and not request.user.is_verified():
        return None
    return pending


def _matching_step(device, token):
    """The time step at which `token` is right for `device`'s secret, or None."""
    try:
        token = int(token)
    except (TypeError, ValueError):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.verify(token, device.tolerance):
        return totp.t()
    return None


def confirm_enrolment(*, request, pending, token):
    """Confirm the pending secret with a code from the app: writes the device (replacing any
    earlier authenticator), spends the enrolment code, and returns new recovery codes. Returns
    None if the code was wrong; raises EnrolmentCodeSpent if the enrolment code was meanwhile
    used, replaced or expired."""
    user = request.user
    device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=pending["key"], confirmed=True)
    step = _matching_step(device, token)
    if step is None:
        record(AuditEvent.Kind.SECOND_FACTOR_FAILED, request=request, details={"step": "enrol"})
        return None
    # The code just typed must not open a session a second time.
    device.last_t = step
    with transaction.atomic():
        if pending["code"] is not None and not accounts.use_code(
            member=user, purpose=AccountCode.Purpose.ENROLMENT, code_id=pending["code"]
        ):
            raise EnrolmentCodeSpent
        # Only one authenticator at a time: a new phone replaces the old one.
        TOTPDevice.objects.filter(user=user).delete()
        device.save()
        codes = new_recovery_codes(user)
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    otp_login(request, device)
    record(
        AuditEvent.Kind.SECOND_FACTOR_ENROLLED,
        request=request,
        target=accounts.user_target(user),
        details={"with_enrolment_code": pending["code"] is not None},
    )
    return codes


def may_reset_devices(actor, member):
    return accounts.may_manage_account(actor, member)


def reset_devices(*, actor, member, request=None):
    """Remove every second-factor device of `member` and issue them an enrolment code: at their
    next sign-in they enrol again with it. Returns the issued code, to hand over."""
    if not may_reset_devices(actor, member):
        raise PermissionDenied("This user may not reset that member's devices.")
    with transaction.atomic():
        removed = 0
        for device in devices_for_user(member, confirmed=None):
            device.delete()
            removed += 1
    record(
        AuditEvent.Kind.SECOND_FACTOR_RESET,
        user=actor,
        request=request,
        target=accounts.user_target(member),
        details={"member": member.get_username(), "devices": removed},
    )
    return accounts.issue_code(
        member=member, purpose=AccountCode.Purpose.ENROLMENT, actor=actor, request=request
    )


def members_for_reset(actor):
    """The memberships of members whose account `actor` may manage, for the coordinator's page:
    members of the groups they coordinate (site staff use the user pages of the admin)."""
    return (
        Membership.objects.filter(
            organization__in=actor.organizations_with_role(Membership.Role.COORDINATOR),
            user__in=accounts.managed_users(actor),
        )
        .exclude(user=actor)
        .select_related("user", "organization")
        .order_by("organization__name", "user__username")
    )


@dataclass
class Unlock:
    user: object = None
    device: object = None
    wait: int = 0


def unlock_with_second_factor(*, request, username, password, token):
    """Sign in with password and second factor even where django-axes has locked this
    username at this address, and lift the username's lockouts everywhere.

    A wrong answer never says which part was wrong, counts towards the username's slow-down, and
    is in the audit log; a right one proves more than a password ever did."""
    wait = sign_in_wait_seconds(username)
    if wait:
        return Unlock(wait=wait)
    # Django's password check without django-axes' backend, which would refuse a locked pair.
    user = ModelBackend().authenticate(request, username=username, password=password)
    device = None
    if user is not None and user.is_staff:
        device = match_token(user, token)
    if device is None:
        note_failed_sign_in(username)
        record(
            AuditEvent.Kind.LOGIN_FAILED,
            request=request,
            username=username,
            details={"step": "unlock"},
        )
        return Unlock()
    removed = reset_lockouts(username=user.get_username())
    clear_failed_sign_ins(user.get_username())
    record(
        AuditEvent.Kind.UNLOCKED,
        user=user,
        request=request,
        target=accounts.user_target(user),
        details={"lockouts_lifted": removed},
    )
    return Unlock(user=user, device=device)


# --- forms -------------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("one-time code", "Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label=gettext_lazy("Enrolment code"),
        max_length=40,
        help_text=gettext_lazy("Sixteen letters and digits, such as ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


class UnlockForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


# --- views -------------------------------------------------------------------------------------


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(viewname, next_url):
    """The URL of `viewname` that leads on to `next_url`, query string and all."""
    return f"{reverse(viewname)}?{urlencode({'next': next_url})}"


# A signed-in staff member, or the admin's sign-in page (which comes back here, query included).
_signed_in_or_login = user_passes_test(
    lambda user: user.is_authenticated and user.is_staff, login_url="admin:login"
)


def _verified_only(view):
    """Signed in and past the second factor, or the code prompt (which comes back here)."""
    return _signed_in_or_login(otp_required(view, login_url="two_factor:verify"))


@never_cache
@require_http_methods(["GET", "POST"])
@_signed_in_or_login
def verify(request):
    """After the password: a code from the authenticator app, or one recovery code."""
    user = request.user
    if not has_second_factor(user):
        return redirect(_with_next("two_factor:enrol", _next_url(request)))
    if user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Make new ones soon.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        record(AuditEvent.Kind.SECOND_FACTOR_FAILED, request=request, details={"step": "verify"})
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
    return render(request, "two_factor/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@sensitive_post_parameters("enrolment_code", "code")
@require_http_methods(["GET", "POST"])
@_signed_in_or_login
def enrol(request):
    """Set up the authenticator app: first the enrolment code handed over by a coordinator
    (unless a verified user is replacing their phone), then scan the QR code and type the code
    the app shows."""
    user = request.user
    replacing = has_second_factor(user)
    if replacing and not user.is_verified():
        # A password alone never adds a device to an account that has one.
        return redirect(_with_next("two_factor:verify", _next_url(request)))
    pending = pending_enrolment(request)
    if pending is None and replacing:
        pending = start_enrolment(request)
    if request.method == "GET":
        record(
            AuditEvent.Kind.ENROLMENT_PAGE,
            request=request,
            target=accounts.user_target(user),
            details={"step": "code" if pending is None else "scan"},
        )
    if pending is None:
        return _enrolment_code_step(request)
    return _scan_step(request, pending, replacing)


def _enrolment_code_step(request):
    user = request.user
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = accounts.valid_code(
            member=user,
            purpose=AccountCode.Purpose.ENROLMENT,
            typed=form.cleaned_data["enrolment_code"],
        )
        if code is not None:
            start_enrolment(request, code)
            return redirect(_with_next("two_factor:enrol", _next_url(request)))
        record(
            AuditEvent.Kind.CODE_REFUSED,
            request=request,
            target=accounts.user_target(user),
            details={"purpose": AccountCode.Purpose.ENROLMENT},
        )
        form.add_error(
            "enrolment_code",
            _(
                "This enrolment code is not valid, or it has expired. Ask a coordinator of your "
                "group for a new one."
            ),
        )
    return render(
        request,
        "two_factor/enrol.html",
        {"code_form": form, "next": _next_url(request)},
    )


def _scan_step(request, pending, replacing):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = confirm_enrolment(
                request=request, pending=pending, token=form.cleaned_data["code"]
            )
        except EnrolmentCodeSpent:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            messages.error(
                request,
                _("Your enrolment code was used, replaced or has expired. Ask for a new one."),
            )
            return redirect(_with_next("two_factor:enrol", _next_url(request)))
        if codes is not None:
            return render(
                request,
                "two_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "enrolled": True},
            )
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
    # Not saved: it only draws the QR code from the secret in the session.
    device = TOTPDevice(user=request.user, key=pending["key"])
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next_url(request),
        # segno writes plain SVG elements and attributes: no script, no style attribute.
        "qr_svg": mark_safe(
            qr.svg_inline(
                scale=5, omitsize=True, light="#fff", title=_("QR code for your authenticator")
            )
        ),
        "secret": base64.b32encode(unhexlify(pending["key"])).decode("ascii"),
        "replacing": replacing,
    }
    return render(request, "two_factor/enrol.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@_verified_only
def recovery_codes(request):
    """Make a new set of recovery codes (the old ones stop working)."""
    if request.method == "POST":
        codes = new_recovery_codes(request.user)
        record(AuditEvent.Kind.RECOVERY_CODES, request=request)
        return render(
            request, "two_factor/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
        )
    left = StaticToken.objects.filter(device__user=request.user).count()
    return render(
        request, "two_factor/recovery_codes.html", {"left": left, "next": _next_url(request)}
    )


@require_http_methods(["POST"])
def sign_out(request):
    """Signing out from the code prompt: the admin's own logout needs the second factor first."""
    logout(request)
    return redirect("home")


@never_cache
@require_http_methods(["GET"])
@_verified_only
def members(request):
    """A coordinator's list of their groups' members, with who has set up two-factor sign-in,
    and the buttons that issue a password reset or reset a lost device."""
    memberships = list(members_for_reset(request.user))
    user_ids = [m.user_id for m in memberships]
    enrolled = set(
        TOTPDevice.objects.filter(user__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    pending = accounts.pending_codes(user_ids)
    for m in memberships:
        m.enrolment_code_expires = pending.get(m.user_id, {}).get(AccountCode.Purpose.ENROLMENT)
    rows = [(m, m.user_id in enrolled) for m in memberships]
    return render(request, "two_factor/members.html", {"rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
@_verified_only
def reset(request, user_id):
    """A coordinator (or site staff) resets the devices of a member who lost their phone, and
    gets the enrolment code to hand over."""
    member = get_object_or_404(get_user_model(), pk=user_id)
    if not may_reset_devices(request.user, member):
        raise Http404
    if request.method == "POST":
        issued = reset_devices(actor=request.user, member=member, request=request)
        # Shown once, in answer to this request: the code is stored nowhere in clear.
        return render(
            request,
            "two_factor/handover.html",
            {"member": member, "codes": [issued], "next": _next_url(request)},
        )
    return render(request, "two_factor/reset.html", {"member": member, "next": _next_url(request)})


@never_cache
@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "POST"])
def unlock(request):
    """Sign in with password and second factor, lifting a lockout of this account."""
    form = UnlockForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = unlock_with_second_factor(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            token=form.cleaned_data["code"],
        )
        if result.user is not None:
            # django_otp persists `otp_device` in the session when login() runs.
            result.user.otp_device = result.device
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("You are signed in, and your account is unlocked."))
            return redirect(_next_url(request))
        if result.wait:
            status = 429
            form.add_error(
                None,
                ngettext(
                    "There were many failed sign-ins for this account. Try again in %(n)d second.",
                    "There were many failed sign-ins for this account. Try again in %(n)d seconds.",
                    result.wait,
                )
                % {"n": result.wait},
            )
        else:
            form.add_error(
                None,
                _(
                    "The username, password and code do not match. After several tries you "
                    "will have to wait a little before the next one."
                ),
            )
    return render(
        request, "two_factor/unlock.html", {"form": form, "next": _next_url(request)}, status=status
    )
