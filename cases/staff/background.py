"""Large staff exports made by the background worker (cases.jobs): the page that follows one,
and its download, for the person who asked only."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from cases.jobs import STAFF_XLSX
from cases.staff.access import staff_report
from jobs.models import Job
from jobs.runner import live_progress, reap_lost_jobs
from jobs.runner import start as start_job


def wants_background(row_count: int) -> bool:
    return row_count > settings.BACKGROUND_EXPORT_ROWS


def start_xlsx_export(request, *, columns, file_name):
    job = start_job(
        STAFF_XLSX,
        user=request.user,
        params={
            "query": request.GET.urlencode(),
            "columns": [column.key for column in columns],
            "file_name": file_name,
            "language": get_language(),
        },
    )
    return redirect("staff:job", job_id=job.pk)


def _own_job(request, job_id):
    return get_object_or_404(Job, pk=job_id, user=request.user, kind=STAFF_XLSX)


@staff_report()
def job_status(request, job_id):
    reap_lost_jobs()
    job = _own_job(request, job_id)
    return render(
        request,
        "cases/staff/job.html",
        {"job": job, "progress": live_progress(job), "ready": job.finished and bool(job.result)},
    )


@staff_report(file=True)
def job_download(request, job_id):
    job = _own_job(request, job_id)
    if job.state != Job.State.DONE or not job.result:
        raise Http404
    response = FileResponse(
        job.result.open("rb"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        filename=job.outcome.get("file", "cases.xlsx"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
