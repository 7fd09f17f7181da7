from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cases.public import files, submission_form
from cases.public import views as public_views
from cases.public.sitemaps import SITEMAPS
from casetracker.health import healthz

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker"
admin.site.index_title = _("Case records")

urlpatterns = [
    path("", public_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cases.public.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("account/two-factor/", include("orgs.two_factor_urls")),
    path("account/", include("orgs.account_urls")),
    path("submit/", submission_form.submit, name="submission"),
    path("submit/thanks/", submission_form.thanks, name="submission_thanks"),
    path("files/<str:kind>/<int:pk>/", files.serve_upload, name="upload"),
    path("staff/", include("cases.staff.urls")),
]
