"""The submission queue in the admin: read what a family sent, then turn it into a case, merge it
into an existing case, or reject it. What the family wrote is never edited here; staff add notes.

Registered like every admin, by autodiscovery of cases.admin; the only admin of submissions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cases.models import Case, Submission
from cases.numbers import parse_entry_number
from cases.public.submission_form import SubmissionForm
from cases.services import submissions
from orgs.access import is_site_staff, may_handle_submissions, organizations_for
from orgs.models import Organization

# What the family sent, as the public form takes it, plus when and in which language: shown
# read-only, never edited here.
SUBMITTED_FIELDS = ("received_at", "language", *SubmissionForm.Meta.fields)


class ConvertForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Group that takes the case"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for(user)


class MergeForm(forms.Form):
    entry_number = forms.CharField(
        label=gettext_lazy("Entry number of the case"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_entry_number(self):
        number = parse_entry_number(self.cleaned_data["entry_number"])
        if number is None:
            raise ValidationError(_("Give an entry number, such as 1042."))
        self.case = Case.objects.visible_to(self.user).filter(entry_number=number).first()
        if self.case is None:
            raise ValidationError(_("No case with this number among the cases you work on."))
        return number


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (for the staff notes)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("received_at", "state", "submitter_relationship", "language", "case")
    list_filter = ("state", "language")
    list_select_related = ("case",)
    search_fields = ("detained_names",)
    # No date hierarchy and no full count: each costs a query over the whole queue.
    show_full_result_count = False
    fieldsets = (
        (gettext_lazy("What the family sent"), {"fields": SUBMITTED_FIELDS}),
        (
            pgettext_lazy("submission admin section", "Handling"),
            {"fields": ("state", "case", "handled_by", "handled_at", "staff_notes")},
        ),
    )
    readonly_fields = (*SUBMITTED_FIELDS, "state", "case", "handled_by", "handled_at")
    actions = ["reject_selected"]
    change_form_template = "admin/cases/submission/change_form.html"

    def get_queryset(self, request):
        return Submission.objects.visible_to(request.user).select_related("case", "handled_by")

    def has_module_permission(self, request):
        return may_handle_submissions(request.user)

    def has_view_permission(self, request, obj=None):
        return may_handle_submissions(request.user)

    def has_change_permission(self, request, obj=None):
        return may_handle_submissions(request.user)

    def has_add_permission(self, request):
        return False  # submissions come from the public form only

    def has_delete_permission(self, request, obj=None):
        return is_site_staff(request.user)

    @admin.action(description=gettext_lazy("Reject the selected new submissions"))
    def reject_selected(self, request, queryset):
        rejected = 0
        for submission in queryset.filter(state=Submission.State.NEW):
            submissions.reject_submission(submission=submission, user=request.user)
            rejected += 1
        self.message_user(request, _("%(count)d submissions rejected.") % {"count": rejected})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/convert/",
                wrap(self.convert_view),
                name="{}_{}_convert".format(*info),
            ),
            path(
                "<path:object_id>/merge/", wrap(self.merge_view), name="{}_{}_merge".format(*info)
            ),
            path(
                "<path:object_id>/reject/",
                wrap(self.reject_view),
                name="{}_{}_reject".format(*info),
            ),
            *super().get_urls(),
        ]

    def _open_submission(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        submission = self.get_object(request, object_id)
        if submission is None:
            raise Http404
        return submission

    def _handled(self, request, submission, case=None):
        if case is not None:
            return redirect(reverse("admin:cases_case_change", args=[case.pk]))
        return redirect(reverse("admin:cases_submission_change", args=[submission.pk]))

    def _action_page(self, request, submission, form, title, button, candidates=()):
        context = {
            "candidates": candidates,
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": submission,
            "title": title,
            "form": form,
            "button": button,
        }
        return TemplateResponse(request, "admin/cases/submission/action.html", context)

    def _run(self, request, submission, form, action):
        try:
            return action()
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(None, _("You may not do this for that group or case."))
        return None

    def convert_view(self, request, object_id):
        submission = self._open_submission(request, object_id)
        form = ConvertForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            case = self._run(
                request,
                submission,
                form,
                lambda: submissions.convert_to_case(
                    submission=submission,
                    organization=form.cleaned_data["organization"],
                    user=request.user,
                ),
            )
            if case is not None:
                messages.success(request, _("Case %(case)s created.") % {"case": case})
                return self._handled(request, submission, case)
        return self._action_page(
            request, submission, form, _("Turn this submission into a case"), _("Create the case")
        )

    def merge_view(self, request, object_id):
        submission = self._open_submission(request, object_id)
        form = MergeForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            case = self._run(
                request,
                submission,
                form,
                lambda: submissions.merge_into_case(
                    submission=submission, case=form.case, user=request.user
                ),
            )
            if case is not None:
                messages.success(request, _("Merged into case %(case)s.") % {"case": case})
                return self._handled(request, submission, case)
        candidates = submissions.likely_cases(submission=submission, user=request.user)
        return self._action_page(
            request, submission, form, _("Merge into an existing case"), _("Merge"), candidates
        )

    def reject_view(self, request, object_id):
        submission = self._open_submission(request, object_id)
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            done = self._run(
                request,
                submission,
                form,
                lambda: (
                    submissions.reject_submission(
                        submission=submission, user=request.user, reason=form.cleaned_data["reason"]
                    )
                    or True
                ),
            )
            if done:
                messages.success(request, _("Submission rejected."))
                return self._handled(request, submission)
        return self._action_page(
            request, submission, form, _("Reject this submission"), _("Reject")
        )


admin.site.register(Submission, SubmissionAdmin)
