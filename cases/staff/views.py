"""The staff reports area. Every view goes through `staff_report` (cases.staff.access), filters
through `StaffCaseFilter`, and puts what it hands out on record with `record_export`."""

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cases.choices import choice_labels
from cases.models import ExportLog
from cases.public.charts import bar_chart
from cases.staff import background, exports, pdf, reports
from cases.staff.access import staff_report
from cases.staff.exports import COLUMNS, DEFAULT_COLUMNS, record_export, safe_filename
from cases.staff.filters import (
    ExportOptionsForm,
    StaffCaseFilter,
    filter_querystring,
    logged_filters,
)
from cases.staff.un_submission import build_submission

PAGE_SIZE = 50


@staff_report()
def index(request):
    return redirect("staff:case_list")


def _filtered(request):
    """The StaffCaseFilter over the user's cases, or the 400 page naming the bad parameters."""
    scope = request.report_scope
    filterset = StaffCaseFilter(
        request.GET, queryset=scope.cases(), organizations=scope.organizations
    )
    if not filterset.is_valid():
        return filterset, _bad_request(request, filterset.form.errors)
    return filterset, None


def _bad_request(request, errors):
    return render(request, "cases/staff/bad_request.html", {"errors": errors}, status=400)


def _export_options(request):
    form = ExportOptionsForm(request.GET)
    if not form.is_valid():
        return None, _bad_request(request, form.errors)
    return exports.columns_for(form.cleaned_data["columns"]), None


def _describe(filterset):
    """A readable line for the filters in use, for report headers."""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()) or name == "sort":
            continue
        label = filterset.form.fields[name].label
        if isinstance(value, list | tuple):
            labels = choice_labels(filterset.form.fields[name])
            value = ", ".join(str(labels.get(v, v)) for v in value)
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_report()
def case_list(request):
    filterset, error = _filtered(request)
    if error:
        return error
    cases = filterset.qs.select_related("person", "organization").prefetch_related("person__names")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    options = ExportOptionsForm(initial={"columns": DEFAULT_COLUMNS})
    return render(
        request,
        "cases/staff/case_list.html",
        {
            "filter": filterset,
            "page": page,
            "options": options,
            "columns": COLUMNS,
            "default_columns": DEFAULT_COLUMNS,
            "filter_query": filter_querystring(request.GET),
        },
    )


def _case_list_export(request, export_format):
    """The filtered cases and chosen columns of a case-list export, put on record; or the
    error response for a bad parameter (nothing exported, nothing recorded)."""
    filterset, error = _filtered(request)
    if error:
        return None, None, error
    columns, error = _export_options(request)
    if error:
        return None, None, error
    queryset = filterset.qs
    record_export(
        user=request.user,
        report=ExportLog.Report.CASE_LIST,
        format=export_format,
        row_count=queryset.order_by().count(),
        filters=logged_filters(filterset),
        columns=[c.key for c in columns],
        includes_private=any(c.private for c in columns),
    )
    return queryset, columns, None


@staff_report(file=True)
def export_csv(request):
    queryset, columns, error = _case_list_export(request, ExportLog.Format.CSV)
    if error:
        return error
    response = StreamingHttpResponse(
        exports.csv_stream(queryset, columns), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, safe_filename("cases", extension="csv"))


@staff_report(file=True)
def export_xlsx(request):
    queryset, columns, error = _case_list_export(request, ExportLog.Format.XLSX)
    if error:
        return error
    if background.wants_background(queryset.order_by().count()):
        # Too many rows to write while the request waits: the worker writes the file.
        file_name = safe_filename("cases", extension="xlsx")
        return background.start_xlsx_export(request, columns=columns, file_name=file_name)
    response = FileResponse(
        exports.write_xlsx(queryset, columns, title=_("Cases")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, safe_filename("cases", extension="xlsx"))


def _summary_report(request, export_format):
    """The summary of the filtered cases, put on record; or the error response for a bad
    filter (nothing reported, nothing recorded)."""
    filterset, error = _filtered(request)
    if error:
        return None, None, error
    report = reports.summary(filterset.qs)
    record_export(
        user=request.user,
        report=ExportLog.Report.SUMMARY,
        format=export_format,
        row_count=report.total,
        filters=logged_filters(filterset),
    )
    return filterset, report, None


@staff_report()
def summary(request):
    filterset, report, error = _summary_report(request, ExportLog.Format.HTML)
    if error:
        return error
    charts = [
        (s, bar_chart([(label, n, "") for label, n in s.rows], chart_id=s.key, title=s.title))
        for s in report.sections
    ]
    return render(
        request,
        "cases/staff/summary.html",
        {
            "filter": filterset,
            "report": report,
            "charts": charts,
            "description": _describe(filterset),
            "filter_query": filter_querystring(request.GET),
        },
    )


@staff_report(file=True)
def summary_pdf(request):
    filterset, report, error = _summary_report(request, ExportLog.Format.PDF)
    if error:
        return error
    content = pdf.summary_pdf(report, filter_description=_describe(filterset), user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    return _attachment(response, safe_filename("summary-report", extension="pdf"))


def _case(request, entry_number):
    """One case of the user's scope with all it holds; another organization's case is as absent
    as a missing one."""
    cases = request.report_scope.cases().with_everything()
    return get_object_or_404(cases, entry_number=entry_number)


@staff_report(file=True)
def dossier_pdf(request, entry_number):
    case = _case(request, entry_number)
    include_private = request.GET.get("private") == "1"
    content = pdf.dossier_pdf(case, include_private=include_private)
    record_export(
        user=request.user,
        report=ExportLog.Report.DOSSIER,
        format=ExportLog.Format.PDF,
        row_count=1,
        case=case,
        includes_private=include_private,
    )
    response = HttpResponse(content, content_type="application/pdf")
    name = ("dossier", "confidential" if include_private else "", case.entry_number)
    return _attachment(response, safe_filename(*name, extension="pdf"))


@staff_report()
def un_submission(request, entry_number):
    case = _case(request, entry_number)
    submission = build_submission(case, submitter=request.user)
    if submission.consent_recorded:
        record_export(
            user=request.user,
            report=ExportLog.Report.UN_SUBMISSION,
            format=ExportLog.Format.HTML,
            row_count=1,
            case=case,
            includes_private=True,
        )
    return render(
        request,
        "cases/staff/un_submission.html",
        {"case": case, "submission": submission},
        status=200 if submission.consent_recorded else 403,
    )


@staff_report(file=True)
def un_submission_pdf(request, entry_number):
    case = _case(request, entry_number)
    submission = build_submission(case, submitter=request.user)
    if not submission.consent_recorded:
        return render(
            request,
            "cases/staff/un_submission.html",
            {"case": case, "submission": submission},
            status=403,
        )
    content = pdf.un_submission_pdf(submission)
    record_export(
        user=request.user,
        report=ExportLog.Report.UN_SUBMISSION,
        format=ExportLog.Format.PDF,
        row_count=1,
        case=case,
        includes_private=True,
    )
    response = HttpResponse(content, content_type="application/pdf")
    return _attachment(
        response, safe_filename("wgeid-submission", case.entry_number, extension="pdf")
    )
