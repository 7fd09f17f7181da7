from django.contrib import admin
from django.urls import include, path

from cases import submissions, uploads
from casetracker import views

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker"
admin.site.index_title = "Case records"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The public site (issue 4).
    path("", include("cases.urls")),
    # Security (issue 7): second factor, the public submission form, uploads behind a check.
    path("account/two-factor/", include("orgs.two_factor_urls")),
    path("submit/", submissions.submit, name="submission"),
    path("submit/thanks/", submissions.thanks, name="submission_thanks"),
    path("files/<str:kind>/<int:pk>/", uploads.serve_upload, name="upload"),
    # Staff reports and exports (issue 5).
    path("staff/", include("cases.staff.urls")),
]
