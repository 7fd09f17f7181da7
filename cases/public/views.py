"""The public site: home, case list, case pages, organizations, countries, figures and open data.

Views stay thin: what may be shown comes from `cases.public.records` (the allowlist and the
consent rules), the counts from `cases.public.figures`, the filters from
`cases.public.filters`. Templates get plain dicts, never model instances, so they cannot reach a
private field.
"""

import functools
import json

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.choices import choice_labels
from cases.models import Case, Ethnicity, Prefecture, PublicEntry, PublicEntryCountry, PublicFile
from cases.public import facets, files, opendata, places
from cases.public import records as public
from cases.public.charts import bar_chart
from cases.public.figures import cached_count, public_figures
from cases.public.filters import PublicCaseFilter
from cases.public.pagecache import cached_public_page
from orgs.models import Country, Organization

LATEST_ON_PAGE = 10
DOWNLOAD_CHUNK = 2000


class KnownCountPaginator(Paginator):
    """A paginator told the count when it is already known, so it runs no COUNT."""

    def __init__(self, *args, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = known_count

    @cached_property
    def count(self):
        if self._known_count is not None:
            return self._known_count
        return super().count


# Past this page, "Next" links go by entry number (?after=N): an index range as cheap at the
# 700th page as at the first, where an OFFSET reads and drops every row before it.
KEYSET_AFTER_PAGE = 5


class KeysetPage:
    """A page of the list in its default order (newest entry first) that starts after or ends
    before an entry number. `before=0` is the last page, the oldest entries."""

    def __init__(self, queryset, per_page: int, *, after: int | None, before: int | None):
        self.after, self.before = after, before
        if before is not None:
            rows = list(
                queryset.filter(entry_number__gt=before).order_by("entry_number")[: per_page + 1]
            )
            self.has_previous = len(rows) > per_page
            self.object_list = rows[:per_page][::-1]
            self.has_next = before > 0 and bool(self.object_list)
        else:
            rows = list(
                queryset.filter(entry_number__lt=after).order_by("-entry_number")[: per_page + 1]
            )
            self.has_next = len(rows) > per_page
            self.object_list = rows[:per_page]
            self.has_previous = True
        numbers = [entry.entry_number for entry in self.object_list]
        self.first_number = numbers[0] if numbers else None
        self.last_number = numbers[-1] if numbers else None

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def _entry_number_parameter(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def without_empty_parameters(view):
    """Send a request that names empty parameters (a filter form sent without JavaScript) to
    the same URL without them, so that a shared URL holds only the filters in use."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        clean = facets.clean_query(request.GET, PublicCaseFilter.DEFAULTS)
        if clean is None:
            return view(request, *args, **kwargs)
        query = clean.urlencode()
        return redirect(request.path + (f"?{query}" if query else ""))

    return wrapper


def _filtered(request, queryset=None):
    """The FilterSet bound to the URL's parameters, over the public entries."""
    if queryset is None:
        queryset = public.public_entries()
    filterset = PublicCaseFilter(request.GET, queryset=queryset)
    valid = filterset.is_valid()
    return filterset, valid


@without_empty_parameters
@cached_public_page
@require_safe
def case_list(request):
    filterset, valid = _filtered(request)
    page = None
    chips = []
    if valid:
        chips = facets.chips(filterset, request.GET)
        facets.add_counts(filterset)
        # Unfiltered, the count is the cached headline figure: no COUNT over every public case;
        # filtered, it is counted once per version of the public record and set of filters.
        if filterset.is_filtered:
            parameters = {
                name: request.GET.getlist(name)
                for name in request.GET
                if name not in ("page", "per_page", "after", "before", "sort")
            }
            known = cached_count(filterset.qs, parameters)
        else:
            known = public_figures()["total"]
        paginator = KnownCountPaginator(
            filterset.qs,
            filterset.form.cleaned_data.get("per_page") or 20,
            known_count=known,
        )
        after = _entry_number_parameter(request, "after")
        before = _entry_number_parameter(request, "before")
        # Only the default order goes by entry number; a chosen sort or a search ranking pages
        # by number, and a search's results are few.
        by_entry = not filterset.form.cleaned_data.get("sort") and not request.GET.get("q")
        if by_entry and (after is not None or before is not None):
            page = KeysetPage(filterset.qs, paginator.per_page, after=after, before=before)
        else:
            page = paginator.get_page(request.GET.get("page"))
            page.keyset_next = by_entry and page.number >= KEYSET_AFTER_PAGE
        rows = places.with_facilities(
            [public.entry_row(entry) for entry in page.object_list], page.object_list
        )
        if rows:
            page.last_number = rows[-1]["entry_number"]
    else:
        rows = []
    download_query = request.GET.copy()
    for name in ("page", "per_page", "after", "before"):
        download_query.pop(name, None)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "valid": valid,
        "page": page,
        "rows": rows,
        "count": paginator.count if page else 0,
        "download_query": download_query.urlencode(),
        "searched": request.GET.get("q", "").strip(),
        "chips": chips,
        "filters_active": sum(chip["name"] != "q" for chip in chips),
    }
    return render(request, "cases/case_list.html", context, status=200 if valid else 400)


@without_empty_parameters
@cached_public_page
@require_safe
def case_download(request, fmt):
    filterset, valid = _filtered(request, PublicEntry.objects.all())
    if not valid:
        return render(
            request,
            "cases/case_list.html",
            {"filterset": filterset, "form": filterset.form, "valid": False, "rows": []},
            status=400,
        )
    base_url = request.build_absolute_uri("/").rstrip("/")
    columns = [name for name, _help in opendata.OPEN_DATA_COLUMNS]
    licence = str(opendata.OPEN_DATA_LICENCE)
    if fmt == "csv":
        lines = opendata.csv_lines(filterset.qs, base_url, chunk_size=DOWNLOAD_CHUNK)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="casetracker-cases.csv"'
    else:
        records = opendata.open_data_records(filterset.qs, base_url, chunk_size=DOWNLOAD_CHUNK)

        def chunks():
            meta = {
                "licence": licence,
                "licence_url": opendata.OPEN_DATA_LICENCE_URL,
                "columns": columns,
            }
            yield json.dumps(meta, ensure_ascii=False)[:-1] + ', "cases": ['
            for index, record in enumerate(records):
                yield ("," if index else "") + json.dumps(record, ensure_ascii=False)
            yield "]}"

        response = StreamingHttpResponse(chunks(), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="casetracker-cases.json"'
    response["Link"] = f'<{opendata.OPEN_DATA_LICENCE_URL}>; rel="license"'
    return response


@cached_public_page
@require_safe
def open_data(request):
    return render(
        request,
        "cases/open_data.html",
        {
            "columns": opendata.OPEN_DATA_COLUMNS,
            "licence": opendata.OPEN_DATA_LICENCE,
            "licence_url": opendata.OPEN_DATA_LICENCE_URL,
        },
    )


@cached_public_page
@require_safe
def methodology(request):
    levels = [
        {**public.evidence_badge(level), "anchor": f"evidence-{level}"}
        for level in range(public.HIGHEST_EVIDENCE_LEVEL + 1)
    ]
    context = {
        "levels": levels,
        "meta_description": _(
            "Who documents the cases on this site, how a case is checked and published, what "
            "each evidence level requires, how consent and anonymity work, and how to ask for a "
            "correction."
        ),
    }
    return render(request, "cases/methodology.html", context)


@cached_public_page
@require_safe
def case_detail(request, entry_number):
    entry = (
        PublicEntry.objects.select_related("organization").filter(entry_number=entry_number).first()
    )
    if entry is None:
        raise Http404(_("No published case has this entry number."))
    case = public.entry_page(entry)
    context = {
        "case": case,
        "meta_title": public.entry_title(case),
        "meta_description": public.entry_description(case),
        "og_type": "article",
        "permalink": request.build_absolute_uri(case["url"]),
    }
    return render(request, "cases/case_detail.html", context)


@cached_public_page
@require_safe
def case_photo(request, entry_number):
    photo = PublicFile.objects.filter(
        entry__entry_number=entry_number, kind=PublicFile.Kind.PHOTO
    ).first()
    if photo is None:
        raise Http404(_("This case has no public photo."))
    # The same response as /files/ gives a public file (sandbox, nosniff, no long caching after
    # a withdrawal).
    return files.public_file_response(photo)


def _latest(queryset):
    return [
        public.entry_row(entry)
        for entry in queryset.order_by("-first_published_at", "-entry_number")[:LATEST_ON_PAGE]
    ]


@cached_public_page
@require_safe
def organization_list(request):
    counts = public_figures()["by_organization"]
    organizations = [
        {
            **public.public_organization_detail(org),
            "public_cases": counts.get(org.slug, 0),
        }
        for org in Organization.objects.select_related("country").order_by("name")
    ]
    return render(request, "cases/organization_list.html", {"organizations": organizations})


@cached_public_page
@require_safe
def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("country"), slug=slug)
    actions = public.public_actions().filter(organization=organization)[:50]
    context = {
        "organization": public.public_organization_detail(organization),
        "public_cases": public_figures()["by_organization"].get(organization.slug, 0),
        "latest": _latest(public.public_entries().filter(organization=organization)),
        "actions": [public.public_action(action) for action in actions],
    }
    return render(request, "cases/organization_detail.html", context)


@cached_public_page
@require_safe
def country_list(request):
    figures = public_figures()
    countries = [
        {
            **public.public_country(country),
            "citizens": figures["by_citizenship"].get(country.code, 0),
            "families": figures["by_relatives_country"].get(country.code, 0),
        }
        for country in Country.objects.order_by("name")
    ]
    return render(request, "cases/country_list.html", {"countries": countries})


@cached_public_page
@require_safe
def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    figures = public_figures()
    citizens = public.public_entries().filter(
        Exists(
            PublicEntryCountry.objects.filter(
                entry=OuterRef("pk"),
                relation=PublicEntryCountry.Relation.CITIZEN,
                country_code=country.code,
            )
        )
    )
    organizations = Organization.objects.filter(country=country).select_related("country")
    context = {
        "country": public.public_country(country),
        "citizens": figures["by_citizenship"].get(country.code, 0),
        "families": figures["by_relatives_country"].get(country.code, 0),
        "latest": _latest(citizens),
        "organizations": [public.public_organization(org) for org in organizations],
    }
    return render(request, "cases/country_detail.html", context)


def figure_charts(figures):
    status_labels = choice_labels(Case.Status)
    ethnicity_labels = choice_labels(Ethnicity)
    prefecture_labels = choice_labels(Prefecture)

    def ordered(counts, labels, param):
        rows = sorted(counts.items(), key=lambda item: -item[1])
        return [
            (str(labels.get(code, code)) if code else _("not known"), n, f"?{param}={code}")
            for code, n in rows
        ]

    years = sorted(figures["by_year"].items())
    return [
        bar_chart(
            [(str(year), n, f"?detained_from={year}&detained_to={year}") for year, n in years],
            chart_id="by-year",
            title=_("Published cases by year of detention"),
        ),
        bar_chart(
            ordered(figures["by_status"], status_labels, "status"),
            chart_id="by-status",
            title=_("Published cases by current status"),
        ),
        bar_chart(
            ordered(figures["by_ethnicity"], ethnicity_labels, "ethnicity"),
            chart_id="by-ethnicity",
            title=_("Published cases by ethnicity"),
        ),
        bar_chart(
            ordered(figures["by_prefecture"], prefecture_labels, "prefecture"),
            chart_id="by-prefecture",
            title=_("Published cases by hometown prefecture"),
        ),
    ]


@cached_public_page
@require_safe
def figures_page(request):
    figures = public_figures()
    return render(
        request,
        "cases/figures.html",
        {
            "total": figures["total"],
            "charts": figure_charts(figures),
            "map": places.tile_map(figures["by_prefecture"]),
        },
    )


def home_context():
    """Headline figures and the latest published cases, for the home page."""
    figures = public_figures()
    status_labels = choice_labels(Case.Status)
    ethnicity_labels = choice_labels(Ethnicity)
    countries = figures["country_names"]
    return {
        "total": figures["total"],
        "by_status": [
            (code, str(status_labels.get(code, code)), n)
            for code, n in sorted(figures["by_status"].items(), key=lambda item: -item[1])
        ],
        "by_ethnicity": [
            (code, str(ethnicity_labels.get(code, code)), n)
            for code, n in sorted(figures["by_ethnicity"].items(), key=lambda item: -item[1])
        ],
        "citizens": [
            (code, countries[code], figures["by_citizenship"].get(code, 0))
            for code in ("KZ", "KG")
            if code in countries
        ],
        "latest": _latest(public.public_entries()),
    }


@cached_public_page
@require_safe
def home(request):
    """The front page: headline figures, a search box and the latest published cases."""
    return render(request, "home.html", home_context())
