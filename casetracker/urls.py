from django.contrib import admin
from django.urls import include, path

from casetracker import views

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker"
admin.site.index_title = "Case records"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Staff reports and exports (issue 5).
    path("staff/", include("cases.staff.urls")),
]
