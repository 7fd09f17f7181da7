"""The case dossier PDF: what it holds, and its confidentiality marking."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import ExportLog
from tests.factories import PersonNameFactory
from tests.staff_data import full_case

pytestmark = pytest.mark.django_db


def dossier(client, case, **params):
    response = client.get(reverse("staff:dossier_pdf", args=[case.entry_number]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return response, "\n".join(page.extract_text() for page in reader.pages)


def test_the_shareable_dossier_holds_the_case_and_no_private_field(client, reviewer, organization):
    case = full_case(organization, summary="Detained after a visit abroad.", notes="secret note")
    client.force_login(reviewer)
    response, text = dossier(client, case)
    assert f"entry {case.entry_number}" in text
    assert "Testova Aigerim" in text
    assert "Тестова Айгерім" in text
    assert "Detained after a visit abroad." in text
    assert "Invented Camp No. 3" in text  # timeline
    assert "daughter" in text  # testimony
    assert "Public media report" in text  # source
    assert "Letter to the Ministry of Foreign Affairs" in text  # action
    for private in (
        "CONFIDENTIAL",
        "secret note",
        "650000197001010000",
        "private transcript text",
        "Sensitive leaked record",
        "private outcome note",
        "private event note",
        "+7 700",
    ):
        assert private not in text, private
    assert "confidential" not in response["Content-Disposition"]


def test_the_full_dossier_is_marked_confidential(client, reviewer, organization):
    case = full_case(organization, notes="secret note")
    client.force_login(reviewer)
    response, text = dossier(client, case, private="1")
    assert text.count("CONFIDENTIAL") >= 2  # header and footer of every page
    for private in (
        "secret note",
        "650000197001010000",
        "private transcript text",
        "Sensitive leaked record",
        "private outcome note",
        "private event note",
    ):
        assert private in text, private
    assert "dossier-confidential-" in response["Content-Disposition"]


def test_an_anonymous_case_has_no_name_in_the_shareable_dossier(client, reviewer, organization):
    case = full_case(organization)
    case.consent.identity_level = "anonymous"
    case.consent.save()
    client.force_login(reviewer)
    _response, text = dossier(client, case)
    assert "Testova" not in text
    assert "withheld" in text


def test_names_are_printed_in_every_script(client, reviewer, organization):
    case = full_case(organization)
    PersonNameFactory(
        person=case.person,
        value="阿依古丽·托合提",
        script="hani",
        language="zh",
        kind="official_zh",
    )
    PersonNameFactory(person=case.person, value="ئايگۈل توختى", script="arab", language="ug")
    client.force_login(reviewer)
    _response, text = dossier(client, case, private="1")
    assert "阿依古丽·托合提" in text
    assert "pinyin" not in text
    assert "Айгерім" in text
    # Uyghur is shaped through HarfBuzz and laid out right to left; the page's text still reads
    # back as the letters typed, in their order.
    assert "ئايگۈل توختى" in text


def test_dossiers_are_recorded(client, reviewer, organization):
    case = full_case(organization)
    client.force_login(reviewer)
    dossier(client, case)
    dossier(client, case, private="1")
    entries = ExportLog.objects.order_by("pk")
    assert [(e.report, e.format, e.case, e.row_count, e.includes_private) for e in entries] == [
        ("dossier", "pdf", case, 1, False),
        ("dossier", "pdf", case, 1, True),
    ]


def test_the_dossier_runs_a_fixed_number_of_queries(
    client, reviewer, organization, django_assert_max_num_queries
):
    case = full_case(organization)
    client.force_login(reviewer)
    with django_assert_max_num_queries(20):
        dossier(client, case, private="1")


def test_uyghur_arabic_names_are_printed(client, reviewer, organization):
    case = full_case(organization)
    PersonNameFactory(person=case.person, value="تېستوۋا ئايگېرىم", script="arab", language="ug")
    client.force_login(reviewer)
    _response, text = dossier(client, case)
    assert "ئايگېرىم" in text
