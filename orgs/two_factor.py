"""Two-factor sign-in (django-otp): enrolment with a QR code drawn on the server, recovery codes,
the code prompt after the password, and the reset of a lost device by a coordinator or site staff.

Rules kept here:
- A user with a confirmed device can only add or replace one after entering a code: a stolen
  password must not be enough to enrol the thief's phone.
- A coordinator may reset the devices of a member of an organization they coordinate; site staff
  may reset anyone's, except that only a superuser resets a superuser's. Nobody resets their own
  (they would use a recovery code).
"""

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.decorators import otp_required
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.audit import record
from orgs.models import AuditEvent, Membership

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


# --- rules and services ----------------------------------------------------------------------


def has_second_factor(user):
    return user_has_device(user, confirmed=True)


def pending_totp_device(user):
    """The authenticator device being enrolled (unconfirmed), created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def new_recovery_codes(user):
    """Replace the user's recovery codes with fresh ones; each code works once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def confirm_enrolment(*, request, device, token):
    """Confirm `device` with a code from the app. Returns the recovery codes, or None if the code
    was wrong."""
    if not device.verify_token(token):
        record(AuditEvent.Kind.SECOND_FACTOR_FAILED, request=request, details={"step": "enrol"})
        return None
    with transaction.atomic():
        # Only one authenticator at a time: a new phone replaces the old one.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(device.user)
    otp_login(request, device)
    record(
        AuditEvent.Kind.SECOND_FACTOR_ENROLLED, request=request, target=_user_target(device.user)
    )
    return codes


def may_reset_devices(actor, member):
    if not actor.is_active or actor.pk == member.pk:
        return False
    if member.is_superuser:
        return actor.is_superuser
    if actor.sees_all_organizations:
        return True
    if member.sees_all_organizations:
        return False
    return Membership.objects.filter(
        user=member,
        organization__in=actor.organizations_with_role(Membership.Role.COORDINATOR),
    ).exists()


def reset_devices(*, actor, member, request=None):
    """Remove every second-factor device of `member`: at their next sign-in they enrol again."""
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
        target=_user_target(member),
        details={"member": member.get_username(), "devices": removed},
    )
    return removed


def members_for_reset(actor):
    """The memberships whose devices `actor` may reset, for the coordinator's page: members of
    the groups they coordinate (site staff use the user pages of the admin)."""
    return (
        Membership.objects.filter(
            organization__in=actor.organizations_with_role(Membership.Role.COORDINATOR)
        )
        .exclude(user=actor)
        .exclude(user__is_superuser=True)
        .exclude(user__is_site_staff=True)
        .select_related("user", "organization")
        .order_by("organization__name", "user__username")
    )


def _user_target(user):
    return f"user:{user.pk}"


# --- forms -------------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
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
@require_http_methods(["GET", "POST"])
@_signed_in_or_login
def enrol(request):
    """Set up the authenticator app: scan the QR code, type the code it shows."""
    user = request.user
    if has_second_factor(user) and not user.is_verified():
        # A password alone never adds a device to an account that has one.
        return redirect(_with_next("two_factor:verify", _next_url(request)))
    device = pending_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = confirm_enrolment(request=request, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "two_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "enrolled": True},
            )
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
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
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
        "replacing": has_second_factor(user),
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
    """A coordinator's list of their groups' members, with who has set up two-factor sign-in
    and a button to reset a lost device."""
    memberships = list(members_for_reset(request.user))
    enrolled = set(
        TOTPDevice.objects.filter(
            user__in=[m.user_id for m in memberships], confirmed=True
        ).values_list("user_id", flat=True)
    )
    rows = [(m, m.user_id in enrolled) for m in memberships]
    return render(request, "two_factor/members.html", {"rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
@_verified_only
def reset(request, user_id):
    """A coordinator (or site staff) resets the devices of a member who lost their phone."""
    member = get_object_or_404(get_user_model(), pk=user_id)
    if not may_reset_devices(request.user, member):
        raise Http404
    if request.method == "POST":
        reset_devices(actor=request.user, member=member, request=request)
        messages.success(
            request,
            _(
                "The two-factor devices of %(member)s were removed. They set up a new one at "
                "their next sign-in."
            )
            % {"member": member.get_username()},
        )
        return redirect(_next_url(request))
    return render(request, "two_factor/reset.html", {"member": member, "next": _next_url(request)})
