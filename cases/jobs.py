"""The background jobs of the case records (jobs.runner finds this module at start-up).

case_import: write a confirmed spreadsheet import. The upload was checked when it was previewed
and again when it was confirmed; here it is read and checked once more (the plan is what the
writer needs), with the word meanings the preview showed, and written in one transaction, all
rows or none. A worker that dies halfway takes
its transaction with it, so the job fails and nothing is written.
"""

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.imports import pending as uploads
from cases.imports.plan import dry_run
from cases.imports.reading import ImportFileError, read_table
from cases.imports.vocabulary import MeaningError, Meanings
from cases.imports.writing import import_cases
from jobs.runner import JobError, job_kind
from orgs.models import Organization

CASE_IMPORT = "case_import"


@job_kind(CASE_IMPORT)
def write_import(job, progress) -> dict:
    params = job.params
    user = get_user_model().objects.get(pk=job.user_id)
    organization = Organization.objects.get(pk=params["organization_id"])
    pending = uploads.PendingImport(
        params["token"], params["file_name"], params["sha256"], organization.pk
    )
    with override(params.get("language")):
        try:
            try:
                pending.meanings = Meanings.from_params(params.get("meanings"))
            except MeaningError:
                raise JobError(
                    _("The meanings given for the file's words are not valid. Nothing was written.")
                ) from None
            return _write(pending, organization=organization, user=user, progress=progress)
        finally:
            pending.path.unlink(missing_ok=True)


def _write(pending, *, organization, user, progress) -> dict:
    def report(done, total, state="writing"):
        progress(done, total, state=state)

    report(0, 0, state="checking")
    handle = pending.open()
    if handle is None:
        raise JobError(_("The uploaded file is gone or changed. Upload it again."))
    try:
        with handle:
            # The meanings the preview showed, and no others: a meaning saved or changed since
            # does not change what the volunteer confirmed.
            plan = dry_run(
                read_table(handle, pending.file_name),
                organization=organization,
                user=user,
                check_public_records=False,
                meanings=pending.meanings,
            )
    except ImportFileError as error:
        raise JobError(error.message) from None
    if not plan.can_import:
        raise JobError(
            _(
                "Some rows no longer pass the checks (a case changed since the preview, say). "
                "Nothing was written: upload the file again to see them."
            )
        )
    total = len(plan.rows)
    report(0, total)
    try:
        result = import_cases(plan, user=user, progress=report)
    except (DatabaseError, connection.Database.DatabaseError):
        # Such as a concurrent change to the same cases; the message could quote row values.
        raise JobError(
            _("The import could not be written, and nothing was written. Try it again.")
        ) from None
    report(total, total, state="done")
    return {
        "file": pending.file_name,
        "organization": str(organization),
        "created": result.created,
        "updated": result.updated,
        "rows": total,
    }


STAFF_XLSX = "staff_xlsx"


@job_kind(STAFF_XLSX)
def write_staff_xlsx(job, progress) -> dict:
    """A case-list export too large to make while the reviewer waits: the same filter over the
    same scope (checked again now: a role may have been taken away meanwhile), in a file that
    only they can download, for a day."""
    from django.core.files import File
    from django.http import QueryDict

    from cases.staff import exports
    from cases.staff.access import report_scope
    from cases.staff.filters import StaffCaseFilter

    params = job.params
    user = get_user_model().objects.get(pk=job.user_id)
    with override(params.get("language")):
        scope = report_scope(user)
        if scope is None:
            raise JobError(_("You may no longer export these cases."))
        filterset = StaffCaseFilter(
            QueryDict(params["query"]), queryset=scope.cases(), organizations=scope.organizations
        )
        if not filterset.is_valid():
            raise JobError(_("The filter is no longer valid. Export the list again."))
        queryset = filterset.qs
        total = queryset.order_by().count()
        progress(0, total)
        columns = exports.columns_for(params["columns"])
        with exports.write_xlsx(queryset, columns, title=_("Cases")) as handle:
            job.result.save(f"{job.pk}.xlsx", File(handle), save=False)
        type(job).objects.filter(pk=job.pk).update(result=job.result.name)
        progress(total, total)
    return {"rows": total, "file": params["file_name"]}
