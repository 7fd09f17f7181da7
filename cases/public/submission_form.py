"""The families' front door: the public submission form.

The form answers every accepted submission the same way, whatever it names: it never says
whether the person is already in the records. Submissions land in the staff queue (the admin,
cases.admin.submissions) and never on the public site; the submitter's contact stays private.

Flooding is limited per address in the cache. The address itself is never stored: the cache
key is a keyed hash of it, which cannot be turned back into the address without SECRET_KEY.
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.models import Submission
from casetracker.security import client_ip

# --- rate limit ------------------------------------------------------------------------------


def _rate_key(request):
    digest = salted_hmac("casetracker.submission-rate", client_ip(request)).hexdigest()
    return f"submission-rate:{digest}"


def rate_limit_reached(request):
    """True once the address has sent SUBMISSION_RATE_LIMIT submissions in the window.

    Only accepted submissions count (and what the honeypot caught): a family that fixes a
    mistake in the form is not held back."""
    return cache.get(_rate_key(request), 0) >= settings.SUBMISSION_RATE_LIMIT


def count_submission(request):
    key = _rate_key(request)
    window = settings.SUBMISSION_RATE_WINDOW_SECONDS
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)


# --- the public form -------------------------------------------------------------------------


class SubmissionForm(forms.ModelForm):
    # A field people never see (hidden by the stylesheet, skipped by keyboard and screen readers)
    # that bots fill in.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Submission
        fields = [
            "submitter_name",
            "submitter_relationship",
            "submitter_contact",
            "detained_names",
            "birth_year",
            "dates",
            "places",
            "account",
            "consent_to_document",
            "consent_to_publish",
        ]
        labels = {
            "submitter_name": gettext_lazy("Your name"),
            "submitter_relationship": gettext_lazy("You are the detained person's"),
            "submitter_contact": gettext_lazy("How can we reach you safely?"),
            "detained_names": gettext_lazy("The detained person's names"),
            "birth_year": gettext_lazy("Their year of birth"),
            "dates": gettext_lazy("When was the person detained, and other dates you know"),
            "places": gettext_lazy("Places: hometown, where they were held"),
            "account": gettext_lazy("What happened"),
            "consent_to_document": gettext_lazy(
                "I agree that the group records this information to work on the case."
            ),
            "consent_to_publish": gettext_lazy(
                "I agree that the case may be published after the group has reviewed it with me."
            ),
        }
        help_texts = {
            "submitter_contact": gettext_lazy(
                "A phone number, messenger or e-mail that is safe for you. It is never shown "
                "in public."
            ),
            "detained_names": gettext_lazy(
                "One name per line, in every script and spelling you know (Cyrillic, Latin, "
                "Chinese, Uyghur)."
            ),
        }
        widgets = {
            "submitter_contact": forms.Textarea(attrs={"rows": 2}),
            "detained_names": forms.Textarea(attrs={"rows": 3}),
            "dates": forms.Textarea(attrs={"rows": 2}),
            "places": forms.Textarea(attrs={"rows": 2}),
            "account": forms.Textarea(attrs={"rows": 8}),
        }

    max_lengths = {
        "submitter_contact": 1000,
        "detained_names": 1000,
        "dates": 2000,
        "places": 2000,
        "account": 20000,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_to_document"].required = True
        self.fields["submitter_relationship"].required = True
        for name, limit in self.max_lengths.items():
            self.fields[name].max_length = limit
            self.fields[name].validators.append(forms.fields.validators.MaxLengthValidator(limit))

    @property
    def is_bot(self):
        return bool(self.data.get("website"))


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    """The public form. A bot (honeypot filled) gets the same thanks page as a family."""
    if request.method == "POST":
        if rate_limit_reached(request):
            return render(request, "cases/submission_limited.html", status=429)
        form = SubmissionForm(request.POST)
        if form.is_bot:
            count_submission(request)
            return redirect("submission_thanks")
        if form.is_valid():
            count_submission(request)
            submission = form.save(commit=False)
            submission.language = (get_language() or "")[:10]
            submission.full_clean()
            submission.save()
            return redirect("submission_thanks")
    else:
        form = SubmissionForm()
    return render(request, "cases/submission_form.html", {"form": form})


def thanks(request):
    return render(request, "cases/submission_thanks.html")
