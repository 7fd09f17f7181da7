"""The import pages of the Case admin, as a mixin that CaseAdmin takes among its bases.

/admin/cases/case/import/                     upload, then the dry-run preview
/admin/cases/case/import/<token>/words/       POST: what the file's unknown words mean, then again
/admin/cases/case/import/<token>/confirm/     POST: check again, then queue the import (cases.jobs)
/admin/cases/case/import/<token>/progress/    how far it is (HTML with refresh, or ?format=json)
/admin/cases/case/import/template.xlsx|.csv   the template with documented columns
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from cases.imports import pending as uploads
from cases.imports.columns import COLUMNS
from cases.imports.forms import CaseImportForm, WordMeaningsForm
from cases.imports.plan import dry_run
from cases.imports.reading import ImportFileError, clean_file_name, max_upload_bytes, read_table
from cases.imports.template import template_csv, template_xlsx
from cases.imports.vocabulary import Meanings
from cases.jobs import CASE_IMPORT
from cases.models import ImportWordMapping
from jobs.models import Job
from jobs.runner import live_progress, reap_lost_jobs
from jobs.runner import start as start_job
from orgs.access import MANAGING_ROLES, organizations_for

# How many errors and duplicates the preview lists; the counts always cover the whole file.
PREVIEW_LIMIT = 500


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops storing an upload as soon as it passes the import's limit."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


class CaseImportMixin:
    import_template_dir = "admin/cases/import"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(csrf_exempt(self.import_view)),
                name="{}_{}_import".format(*info),
            ),
            path(
                "import/template.<str:kind>",
                wrap(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "import/<str:token>/words/",
                wrap(self.import_words_view),
                name="{}_{}_import_words".format(*info),
            ),
            path(
                "import/<str:token>/confirm/",
                wrap(self.import_confirm_view),
                name="{}_{}_import_confirm".format(*info),
            ),
            path(
                "import/<str:token>/progress/",
                wrap(self.import_progress_view),
                name="{}_{}_import_progress".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if organizations_for(request.user).exists():
            extra_context["case_import_url"] = reverse(
                "admin:cases_case_import", current_app=self.admin_site.name
            )
        return super().changelist_view(request, extra_context=extra_context)

    def _organizations(self, request):
        organizations = organizations_for(request.user)
        if not organizations.exists():
            raise PermissionDenied
        return organizations

    def _context(self, request, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import cases from a spreadsheet"),
            "columns": COLUMNS,
            "max_size": filesizeformat(max_upload_bytes()),
            **context,
        }

    def import_view(self, request):
        """Upload and dry run. CSRF is checked only after the size-limiting upload handler is in
        place, since checking it reads the request body."""
        self._organizations(request)
        limit = max_upload_bytes()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if request.method == "POST" and declared > limit + 1024 * 1024:
            # Far too large: refused before the body is read at all. Nothing changes, so there
            # is no CSRF token to check.
            form = CaseImportForm(user=request.user)
            form.errors["file"] = form.error_class([_size_error(limit)])
            return self._form_response(request, form)
        handler = SizeLimitedUploadHandler(request, limit)
        request.upload_handlers.insert(0, handler)
        return self._import_view(request, handler=handler)

    def _form_response(self, request, form):
        return TemplateResponse(
            request,
            f"{self.import_template_dir}/form.html",
            self._context(request, form=form),
            status=400 if form.is_bound or form.errors else 200,
        )

    @method_decorator(csrf_protect)
    def _import_view(self, request, *, handler):
        if request.method != "POST":
            return self._form_response(request, CaseImportForm(user=request.user))
        form = CaseImportForm(request.POST, request.FILES, user=request.user)
        if handler.too_large:
            form.add_error("file", _size_error(handler.limit))
        if not form.is_valid():
            return self._form_response(request, form)
        uploaded = form.cleaned_data["file"]
        organization = form.cleaned_data["organization"]
        file_name = clean_file_name(uploaded.name)
        try:
            plan = dry_run(
                read_table(uploaded, file_name),
                organization=organization,
                user=request.user,
                meanings=Meanings(saved=ImportWordMapping.meanings_of(organization)),
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
            return self._form_response(request, form)
        # Only a file that can be imported, or that only waits for the meaning of its words,
        # waits on the server for the confirmation.
        pending = None
        if plan.can_import or plan.only_unknown_words_fail:
            pending = uploads.keep(
                request,
                uploaded,
                file_name=file_name,
                organization=organization,
                meanings=plan.meanings_in_use(),
            )
        return self._preview(request, plan, pending)

    def _pending_or_redirect(self, request, token):
        """(PendingImport, Organization, Table), or a redirect with the reason it cannot go on.
        Nothing of another user's or group's upload is ever read."""
        organizations = self._organizations(request)
        pending = uploads.find(request, token)
        if pending is None:
            messages.error(
                request, _("This upload was already imported or has expired. Upload it again.")
            )
            return None, redirect("admin:cases_case_import")
        organization = organizations.filter(pk=pending.organization_id).first()
        if organization is None:
            pending.discard(request)
            raise PermissionDenied
        handle = pending.open()
        if handle is None:
            pending.discard(request)
            messages.error(request, _("The uploaded file is gone or changed. Upload it again."))
            return None, redirect("admin:cases_case_import")
        try:
            with handle:
                table = read_table(handle, pending.file_name)
        except ImportFileError as error:
            pending.discard(request)
            messages.error(request, error.message)
            return None, redirect("admin:cases_case_import")
        return (pending, organization, table), None

    @method_decorator(require_POST)
    def import_words_view(self, request, token):
        """The volunteer's meanings for the file's words: checked against the words of the
        stored file and the codes of each word's column, then the dry run again with them."""
        found, refusal = self._pending_or_redirect(request, token)
        if refusal:
            return refusal
        pending, organization, table = found
        before = dry_run(
            table,
            organization=organization,
            user=request.user,
            check_public_records=False,
            meanings=pending.meanings,
        )
        form = WordMeaningsForm(request.POST, words=before.words)
        if not form.is_valid():
            return self._preview(request, before, pending, status=400, words_form=form)
        meanings = Meanings(file=form.meanings(), saved=pending.meanings.saved)
        plan = dry_run(table, organization=organization, user=request.user, meanings=meanings)
        pending.give_meanings(request, plan.meanings_in_use())
        if form.cleaned_data["remember"] and meanings.file:
            ImportWordMapping.remember(
                organization,
                meanings.file,
                user=request.user,
                may_change=organizations_for(request.user, *MANAGING_ROLES)
                .filter(pk=organization.pk)
                .exists(),
            )
            messages.success(
                request,
                _("These meanings are saved for the next imports of %(organization)s.")
                % {"organization": organization},
            )
        return self._preview(request, plan, pending)

    def _preview(self, request, plan, pending, status=200, words_form=None):
        if pending and words_form is None and plan.words and not plan.asks_too_much:
            words_form = WordMeaningsForm(words=plan.words)
        # The words to explain are asked below, once for each word, not once for each row.
        errors = [error for error in plan.errors if not (words_form and error.coded_column)]
        return TemplateResponse(
            request,
            f"{self.import_template_dir}/preview.html",
            self._context(
                request,
                plan=plan,
                token=pending.token if pending else "",
                errors=errors[:PREVIEW_LIMIT],
                hidden_errors=max(0, len(errors) - PREVIEW_LIMIT),
                words_form=words_form,
                unknown_words=plan.unknown_words[:PREVIEW_LIMIT],
                saved_words=plan.saved_words[:PREVIEW_LIMIT],
                database_duplicates=plan.database_duplicates[:PREVIEW_LIMIT],
                public_duplicates=plan.public_duplicates[:PREVIEW_LIMIT],
                file_duplicates=plan.file_duplicates[:PREVIEW_LIMIT],
                hidden_duplicates=max(
                    0,
                    len(plan.database_duplicates[PREVIEW_LIMIT:])
                    + len(plan.public_duplicates[PREVIEW_LIMIT:])
                    + len(plan.file_duplicates[PREVIEW_LIMIT:]),
                ),
            ),
            status=status,
        )

    @method_decorator(require_POST)
    def import_confirm_view(self, request, token):
        found, refusal = self._pending_or_redirect(request, token)
        if refusal:
            return refusal
        pending, organization, table = found
        plan = dry_run(
            table,
            organization=organization,
            user=request.user,
            check_public_records=False,
            meanings=pending.meanings,
        )
        if not plan.can_import:
            # Something changed since the preview (a case was removed, say): show it again.
            return self._preview(request, plan, pending, status=400)
        # The writing, which can take minutes, is the worker's (cases.jobs). The session forgets
        # the upload now, so that a second click cannot queue it twice.
        pending.forget(request)
        job = start_job(
            CASE_IMPORT,
            user=request.user,
            reference=token,
            params={
                "token": token,
                "file_name": pending.file_name,
                "sha256": pending.sha256,
                "organization_id": organization.pk,
                "meanings": pending.meanings.to_params(),
                "language": get_language(),
            },
        )
        job.refresh_from_db()
        if job.state == Job.State.FAILED:
            # Known at once (the job ran inside this request): back to the upload form.
            messages.error(request, job.error)
            return redirect("admin:cases_case_import")
        return redirect("admin:cases_case_import_progress", token=token)

    def import_progress_view(self, request, token):
        self._organizations(request)
        reap_lost_jobs()
        job = (
            Job.objects.filter(kind=CASE_IMPORT, reference=token, user=request.user)
            .order_by("-created_at")
            .first()
        )
        if job is None:
            if uploads.find(request, token) is None:
                raise Http404
            state = {"state": "waiting", "done": 0, "total": 0}
        else:
            live = live_progress(job)
            state = {
                "state": {
                    Job.State.QUEUED: "waiting",
                    Job.State.DONE: "done",
                    Job.State.FAILED: "failed",
                }.get(job.state)
                or live["state"]
                or "checking",
                "done": job.outcome.get("rows", live["done"]),
                "total": job.outcome.get("rows", live["total"]),
            }
        if request.GET.get("format") == "json":
            return JsonResponse(state)
        return TemplateResponse(
            request,
            f"{self.import_template_dir}/progress.html",
            self._context(request, progress=state, token=token, job=job),
        )

    def import_template_view(self, request, kind):
        self._organizations(request)
        if kind == "xlsx":
            response = HttpResponse(
                template_xlsx(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        elif kind == "csv":
            response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="casetracker-cases.{kind}"'
        return response


def _size_error(limit):
    return _("The file is larger than %(limit)s, the largest file this import reads.") % {
        "limit": filesizeformat(limit)
    }
