"""The staff pages in the site's styles: exports first, the public list's collapsible filters, the
export columns explained, and nothing the site's own Content Security Policy would block."""

import re

import pytest
from django.urls import reverse

from cases.staff.exports import COLUMNS, DEFAULT_COLUMNS
from tests.factories import ConsentFactory
from tests.staff_data import documented_case

pytestmark = pytest.mark.django_db

INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=|<style[\s>]", re.I)


@pytest.fixture
def case(organization):
    case = documented_case(organization, publication_state="in_review")
    ConsentFactory(case=case, un_submission_consent=True)
    return case


def staff_pages(client, case, settings):
    """Every HTML page of the staff area, with and without filters."""
    settings.BACKGROUND_EXPORT_ROWS = 0
    list_url = reverse("staff:case_list")
    yield client.get(list_url)
    yield client.get(list_url, {"status": "camp", "priority": "2", "citizenship": "KZ"})
    yield client.get(reverse("staff:summary"))
    yield client.get(reverse("staff:summary"), {"publication_state": "in_review"})
    yield client.get(reverse("staff:un_submission", args=[case.entry_number]))
    yield client.get(list_url, {"priority": "9"})
    yield client.get(reverse("staff:export_xlsx"), {"columns": ["entry_number"]}, follow=True)


def test_no_staff_page_has_an_inline_style(client, reviewer, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(reviewer)
    seen = 0
    for response in staff_pages(client, case, settings):
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group(0)
        assert "/static/casetracker/site.css" in html
        seen += 1
    assert seen == 7


def test_the_staff_pages_policy_allows_no_inline_style(client, reviewer, case):
    client.force_login(reviewer)
    for url in (reverse("staff:case_list"), reverse("staff:summary")):
        policy = client.get(url)["Content-Security-Policy"]
        directives = {
            part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
        }
        assert directives["style-src"] == ["'self'"]
        assert "unsafe-inline" not in policy


def test_the_export_buttons_come_before_the_filters(client, reviewer, case):
    client.force_login(reviewer)
    html = client.get(reverse("staff:case_list")).content.decode()
    csv_button = html.index(f'formaction="{reverse("staff:export_csv")}"')
    xlsx_button = html.index(f'formaction="{reverse("staff:export_xlsx")}"')
    filters = html.index('<details class="filters"')
    assert csv_button < filters and xlsx_button < filters
    assert html.index("<h1>") < csv_button


def test_the_filters_fold_and_say_how_many_are_active(client, reviewer, case):
    client.force_login(reviewer)
    html = client.get(reverse("staff:case_list")).content.decode()
    assert '<details class="filters">' in html
    assert "<summary>Filters</summary>" in html

    filtered = client.get(
        reverse("staff:case_list"),
        {"status": ["camp", "pre_trial"], "publication_state": "in_review", "sort": "entry"},
    ).content.decode()
    assert '<details class="filters" open>' in filtered
    assert "Filters · 2 active" in filtered

    summary = client.get(reverse("staff:summary"), {"priority": "2"}).content.decode()
    assert '<details class="filters" open>' in summary
    assert "Filters · 1 active" in summary


def test_the_public_list_counts_its_active_filters_the_same_way(client, db):
    html = client.get(reverse("cases:list"), {"status": "camp", "q": "Aigerim"}).content.decode()
    assert "Filters · 1 active" in html


def test_every_export_column_is_explained_on_the_page(client, reviewer, case):
    client.force_login(reviewer)
    response = client.get(reverse("staff:case_list"))
    html = response.content.decode()
    boxes = re.findall(r'<input type="checkbox" name="columns" value="([a-z_]+)"', html)
    assert boxes == [column.key for column in COLUMNS]
    for column in COLUMNS:
        note = re.search(
            rf'<span class="column-note" id="column-{column.key}-note">(.*?)</span>', html
        )
        assert note and note.group(1) == str(column.description).replace("'", "&#x27;")
        item = html[html.index(f'value="{column.key}"') : note.end()]
        assert f'aria-describedby="column-{column.key}-note"' in item
        assert str(column.label) in item
        assert ('class="private-mark"' in item) == column.private
        assert (" checked" in item) == (column.key in DEFAULT_COLUMNS)
