from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from cases.public import files, submission_form
from cases.public import views as public_views
from cases.public.sitemaps import SITEMAPS
from casetracker.health import healthz

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker"
admin.site.index_title = "Case records"

# Outside the language prefixes: they follow the browser's language (casetracker/languages.py).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("account/two-factor/", include("orgs.two_factor_urls")),
    path("account/", include("orgs.account_urls")),
    path("files/<str:kind>/<int:pk>/", files.serve_upload, name="upload"),
    path("staff/", include("cases.staff.urls")),
]

# The public pages, one address per language: /cases/12/ in English, /kk/cases/12/ in Kazakh.
urlpatterns += i18n_patterns(
    path("", public_views.home, name="home"),
    path("", include("cases.public.urls")),
    path("submit/", submission_form.submit, name="submission"),
    path("submit/thanks/", submission_form.thanks, name="submission_thanks"),
    prefix_default_language=False,
)
