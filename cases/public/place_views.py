"""The public pages of facilities and places: a page per facility that a public entry names, a
page per prefecture, and the map of the prefectures. Data from `cases.public.places`; cases from
the public entries only."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.models import Prefecture
from cases.public import places
from cases.public import records as public
from cases.public.figures import public_figures
from cases.public.pagecache import cached_public_page

FACILITY_CASES_PER_PAGE = 20
LATEST_IN_PLACE = 10


@cached_public_page
@require_safe
def facility_detail(request, facility_id):
    facility = places.public_facilities().filter(pk=facility_id).first()
    if facility is None:
        raise Http404(_("No published case names this facility."))
    shown = places.public_facility(facility)
    paginator = Paginator(
        places.facility_entries(facility).order_by("-entry_number"), FACILITY_CASES_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = [public.entry_row(entry) for entry in page.object_list]
    context = {
        "facility": shown,
        "page": page,
        "rows": rows,
        "count": paginator.count,
        "meta_title": shown["name"],
        "meta_description": _(
            "%(name)s, %(kind)s: the published cases whose timeline names this facility."
        )
        % {"name": shown["name"], "kind": shown["kind"]},
    }
    return render(request, "cases/facility_detail.html", context)


def _places(figures):
    facilities = places.facility_counts_by_prefecture()
    return [
        {
            "code": code,
            "label": label,
            "url": places.place_url(code),
            "public_cases": figures["by_prefecture"].get(code, 0),
            "facilities": facilities.get(code, 0),
        }
        for code, label in Prefecture.choices
    ]


@cached_public_page
@require_safe
def place_list(request):
    figures = public_figures()
    context = {
        "places": _places(figures),
        "map": places.tile_map(figures["by_prefecture"]),
        "meta_description": _(
            "Xinjiang's prefectures with the number of published cases from each, and the "
            "facilities that published cases name."
        ),
    }
    return render(request, "cases/place_list.html", context)


@cached_public_page
@require_safe
def place_detail(request, prefecture):
    code = prefecture
    if code not in Prefecture.values:
        raise Http404(_("There is no such prefecture."))
    label = places.prefecture_label(code)
    figures = public_figures()
    latest = public.public_entries().filter(prefecture=code)
    latest = latest.order_by("-first_published_at", "-entry_number")[:LATEST_IN_PLACE]
    context = {
        "place": {"code": code, "label": label},
        "public_cases": figures["by_prefecture"].get(code, 0),
        "facilities": places.facilities_in(code),
        "latest": [public.entry_row(entry) for entry in latest],
        "meta_title": label,
        "meta_description": _(
            "%(place)s: published cases of people from this prefecture, and the facilities "
            "there that published cases name."
        )
        % {"place": label},
    }
    return render(request, "cases/place_detail.html", context)
