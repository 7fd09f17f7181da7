"""The staff XLSX export: header, widths, frozen header, dates as dates, no formulas."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import ExportLog
from tests.staff_data import documented_case

pytestmark = pytest.mark.django_db


def workbook(client, **params):
    response = client.get(reverse("staff:export_xlsx"), params)
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_it_writes_a_sheet_with_header_widths_and_frozen_header(client, reviewer, organization):
    case = documented_case(organization)
    client.force_login(reviewer)
    sheet = workbook(client, columns=["entry_number", "name_cyrillic", "detained_on"]).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Entry number", "Name (Cyrillic)", "Detained on")
    assert rows[1][:2] == (case.entry_number, "Тестова Айгерім")
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 28


def test_dates_are_dates_and_partial_dates_stay_partial(client, reviewer, organization):
    documented_case(organization, status_confirmed_on=datetime.date(2024, 5, 17))
    client.force_login(reviewer)
    sheet = workbook(client, columns=["birth_date", "status_confirmed_on", "detained_on"]).active
    cells = next(iter(sheet.iter_rows(min_row=2, values_only=False)))
    # The birth year and the detention month are written as far as they are known: a date
    # cell would invent 1 January and the first of March.
    assert [c.value for c in cells] == ["1970", datetime.datetime(2024, 5, 17), "2018-03"]
    assert cells[1].is_date
    assert cells[1].number_format == "yyyy-mm-dd"
    assert not cells[0].is_date and not cells[2].is_date


def test_it_neutralises_formulas(client, reviewer, organization):
    documented_case(organization, latin="=1+1", summary="@cmd", notes="-danger")
    client.force_login(reviewer)
    sheet = workbook(client, columns=["name_latin", "summary", "notes"]).active
    cells = next(iter(sheet.iter_rows(min_row=2)))
    assert [c.value for c in cells] == ["'=1+1", "'@cmd", "'-danger"]
    assert all(c.data_type == "s" for c in cells)


def test_it_records_the_export(client, site_staff, organization):
    documented_case(organization)
    client.force_login(site_staff)
    workbook(client, columns=["entry_number"], evidence_level="1")
    entry = ExportLog.objects.get()
    assert (entry.format, entry.row_count, entry.filter_query) == ("xlsx", 1, "evidence_level=1")
    assert entry.includes_private is False


def test_a_bad_filter_gets_400(client, site_staff):
    client.force_login(site_staff)
    response = client.get(reverse("staff:export_xlsx"), {"sort": "password"})
    assert response.status_code == 400
    assert not ExportLog.objects.exists()
