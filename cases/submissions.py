"""The families' front door: the public submission form, and what staff do with a submission.

The form answers every accepted submission the same way, whatever it names: it never says
whether the person is already in the records. Submissions land in the staff queue (the admin,
cases.admin_submissions) and never on the public site; the submitter's contact stays private.

Flooding is limited per address in the cache. The address itself is never stored: the cache
key is a keyed hash of it, which cannot be turned back into the address without SECRET_KEY.
"""

import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.models import Case, Consent, Person, PersonName, Submission
from casetracker.security import client_ip
from orgs.audit import record
from orgs.models import AuditEvent, Membership

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


# --- what staff do with a submission ---------------------------------------------------------


def may_handle_submissions(user):
    """Site staff, and the coordinators and reviewers of a group, work the queue."""
    if not user.is_active or not user.is_staff:
        return False
    if user.sees_all_organizations:
        return True
    # Asked many times per admin page (menu, permissions): once per request's user object.
    if not hasattr(user, "_may_handle_submissions"):
        user._may_handle_submissions = user.memberships.filter(
            role__in=[Membership.Role.COORDINATOR, Membership.Role.REVIEWER]
        ).exists()
    return user._may_handle_submissions


def submissions_visible_to(user):
    """New submissions are open to everyone who handles the queue; once handled, a submission
    belongs to the group whose case it became part of."""
    from django.db.models import Q

    if not may_handle_submissions(user):
        return Submission.objects.none()
    if user.sees_all_organizations:
        return Submission.objects.all()
    return Submission.objects.filter(
        Q(state=Submission.State.NEW) | Q(case__in=Case.objects.visible_to(user))
    )


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


def _script_of(name):
    if re.search(r"[\u4e00-\u9fff]", name):
        return PersonName.Script.HAN
    if re.search(r"[\u0600-\u06ff]", name):
        return PersonName.Script.UYGHUR_ARABIC
    if re.search(r"[\u0400-\u04ff]", name):
        return PersonName.Script.CYRILLIC
    return PersonName.Script.LATIN


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
    if not (
        user.sees_all_organizations
        or user.organizations_with_role().filter(pk=organization.pk).exists()
    ):
        raise PermissionDenied
    person = Person(gender=Person.Gender.UNKNOWN)
    person.full_clean()
    person.save()
    seen_scripts = set()
    for line in submission.detained_names.splitlines():
        value = line.strip()[:200]
        if not value:
            continue
        script = _script_of(value)
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
