from django.urls import path, register_converter

from cases.public import place_views
from cases.public import views as public_views
from cases.public.feeds import NewEntriesFeed, OrganizationEntriesFeed


class OpenDataFormat:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(OpenDataFormat, "open_data_format")

app_name = "cases"

urlpatterns = [
    path("cases/", public_views.case_list, name="list"),
    path("cases/open-data.<open_data_format:fmt>", public_views.case_download, name="download"),
    path("cases/<int:entry_number>/", public_views.case_detail, name="case"),
    path("cases/<int:entry_number>/photo", public_views.case_photo, name="photo"),
    path("organizations/", public_views.organization_list, name="organizations"),
    path("organizations/<slug:slug>/", public_views.organization_detail, name="organization"),
    path("organizations/<slug:slug>/feed/", OrganizationEntriesFeed(), name="organization_feed"),
    path("feed/", NewEntriesFeed(), name="feed"),
    path("countries/", public_views.country_list, name="countries"),
    path("countries/<str:code>/", public_views.country_detail, name="country"),
    path("figures/", public_views.figures_page, name="figures"),
    path("open-data/", public_views.open_data, name="open_data"),
    path("methodology/", public_views.methodology, name="methodology"),
    path("facilities/<int:facility_id>/", place_views.facility_detail, name="facility"),
    path("places/", place_views.place_list, name="places"),
    path("places/<slug:prefecture>/", place_views.place_detail, name="place"),
]
