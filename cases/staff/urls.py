from django.urls import path

from cases.staff import background, views

app_name = "staff"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.csv", views.export_csv, name="export_csv"),
    path("cases/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("exports/<uuid:job_id>/", background.job_status, name="job"),
    path("exports/<uuid:job_id>/download", background.job_download, name="job_download"),
    path("summary/", views.summary, name="summary"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("cases/<int:entry_number>/dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("cases/<int:entry_number>/un-submission/", views.un_submission, name="un_submission"),
    path(
        "cases/<int:entry_number>/un-submission.pdf",
        views.un_submission_pdf,
        name="un_submission_pdf",
    ),
]
