"""Password resets: a coordinator (or site staff) issues a one-time code and hands it over; the
member chooses their new password with it. Nobody but the member ever types the password.

The rules and the codes are in orgs.accounts; the second factor's pages in orgs.two_factor.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from orgs import accounts
from orgs.audit import record
from orgs.models import AccountCode, AuditEvent
from orgs.two_factor import _next_url, _verified_only


def handover(request, *, member, codes, next_url):
    """The page that shows freshly issued codes to whoever issued them, once: rendered in
    answer to the request that issued them, never stored or redirected through."""
    return render(
        request,
        "two_factor/handover.html",
        {
            "member": member,
            "codes": codes,
            "next": next_url,
            "new_password_url": request.build_absolute_uri(reverse("accounts:new_password")),
        },
    )


class NewPasswordForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    code = forms.CharField(
        label=gettext_lazy("Code for a new password"),
        max_length=40,
        help_text=gettext_lazy("The code your coordinator gave you, such as ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    new_password1 = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.member = self.code = None

    def clean(self):
        cleaned = super().clean()
        username, typed = cleaned.get("username"), cleaned.get("code")
        if not username or not typed:
            return cleaned
        member = get_user_model().objects.filter(username=username, is_active=True).first()
        code = accounts.valid_code(member=member, purpose=AccountCode.Purpose.PASSWORD, typed=typed)
        if code is None:
            record(
                AuditEvent.Kind.CODE_REFUSED,
                request=self.request,
                username=username,
                details={"purpose": AccountCode.Purpose.PASSWORD},
            )
            raise forms.ValidationError(
                _(
                    "This username and code do not match, or the code has expired. Ask a "
                    "coordinator of your group for a new code."
                ),
                code="invalid_code",
            )
        self.member, self.code = member, code
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, member)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


@never_cache
@sensitive_post_parameters("code", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def new_password(request):
    """The member chooses a new password with the code their coordinator handed over."""
    form = NewPasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.set_password_with_code(
                member=form.member,
                code=form.code,
                password=form.cleaned_data["new_password1"],
            )
        except PermissionError:
            form.add_error(None, _("This code was used meanwhile. Ask for a new one."))
        else:
            messages.success(request, _("Your new password is set. Sign in with it."))
            return redirect("admin:login")
    return render(request, "accounts/new_password.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@_verified_only
def password_reset(request, user_id):
    """A coordinator (or site staff) issues a password code for a member and hands it over."""
    member = get_object_or_404(get_user_model(), pk=user_id)
    if not accounts.may_manage_account(request.user, member):
        raise Http404
    if request.method == "POST":
        issued = accounts.issue_password_reset(actor=request.user, member=member, request=request)
        return handover(request, member=member, codes=[issued], next_url=_next_url(request))
    return render(
        request, "accounts/password_reset.html", {"member": member, "next": _next_url(request)}
    )
