"""Likely duplicates: the same person reported twice is the commonest data error.

Two records are likely the same person when a name matches in any script or transliteration
(same search key), and the birth year and hometown agree where both records give them.

A member is shown in full only the records their groups may see (`likely_duplicates`, scoped by
the caller). Other groups' cases are looked up only among published entries, and only through
what the public page of each shows (`check_public_records`): a named entry by its public names,
birth year, prefecture and county; an anonymous entry is never described, the member learns at
most that one may match and asks site staff. Such look-ups are counted per user in the cache,
limited (DUPLICATE_LOOKUP_LIMIT per DUPLICATE_LOOKUP_WINDOW_SECONDS) and written to the audit log,
so that a file of candidate names cannot map another group's anonymous entries unseen.
"""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import ngettext

from cases.models import Case, Consent, Person, PersonName, PublicEntry, PublicNameKey
from cases.names import search_key
from orgs.audit import record
from orgs.models import AuditEvent

# Keys per IN (...) list: well under SQLite's parameter limit.
KEY_BATCH = 900


def likely_duplicates(*, names, birth_year=None, prefecture="", county="", exclude_person=None):
    """People who may be the one described; `names` are name strings in any script."""
    keys = {search_key(value) for value in names if value and value.strip()}
    keys.discard("")
    if not keys:
        return Person.objects.none()
    people = Person.objects.filter(names__search_key__in=keys)
    if birth_year:
        people = people.filter(Q(birth_date__isnull=True) | Q(birth_date__year=birth_year))
    if prefecture:
        people = people.filter(Q(hometown_prefecture="") | Q(hometown_prefecture=prefecture))
    if county:
        people = people.filter(Q(hometown_county="") | Q(hometown_county__iexact=county))
    if exclude_person is not None:
        people = people.exclude(pk=exclude_person.pk)
    return Person.objects.filter(pk__in=people.values("pk")).prefetch_related("names")


# --- other groups' published entries ----------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A person being entered, as the duplicate check compares them."""

    keys: frozenset
    birth_year: int | None = None
    prefecture: str = ""
    county: str = ""

    @classmethod
    def from_names(cls, names: Iterable[str], **details) -> "Candidate":
        keys = {search_key(value) for value in names if value and value.strip()}
        return cls(keys=frozenset(keys - {""}), **details)


@dataclass(frozen=True)
class PublicMatch:
    """Another group's published entry that may be the same person, described only by what its
    public page shows. An anonymous entry is described by nothing at all."""

    anonymous: bool
    entry_number: int | None = None
    name: str = ""
    birth_year: int | None = None
    url: str = ""


ANONYMOUS_MATCH = PublicMatch(anonymous=True)


@dataclass
class PublicCheck:
    """The matches of each candidate (empty for those not checked), and how many candidates
    were left unchecked because the user reached the look-up limit."""

    matches: list = field(default_factory=list)
    unchecked: int = 0


def _public_rows(keys, user):
    """Other groups' public entries with a name whose key is among `keys`, with what the match
    reads: only what each public entry shows (its names, birth year, prefecture, county). The
    one place that reads other groups' records for duplicates.

    An anonymous entry shows no name: its case's names are matched, but only to say that an
    anonymous entry may match; nothing of it is read."""
    mine = Case.objects.visible_to(user).values("pk")
    others = PublicEntry.objects.exclude(case__in=mine)
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        for key, name, birth_year, prefecture, county, entry in (
            PublicNameKey.objects.filter(entry__in=others, key__in=batch)
            .values_list(
                "key",
                "name",
                "entry__birth_year",
                "entry__prefecture",
                "entry__content__county",
                "entry__entry_number",
            )
            .order_by()
        ):
            yield key, name, birth_year, prefecture, county or "", entry, False
        anonymous = others.filter(identity_level=Consent.IdentityLevel.ANONYMOUS)
        for key, prefecture, birth_year in (
            PersonName.objects.filter(
                person__case__public_entry__in=anonymous, search_key__in=batch
            )
            .values_list(
                "search_key",
                "person__case__public_entry__prefecture",
                "person__case__public_entry__birth_year",
            )
            .order_by()
        ):
            yield key, "", birth_year, prefecture, "", None, True


def match_public_records(candidates: Sequence[Candidate], *, user) -> list[list[PublicMatch]]:
    """For each candidate, the other groups' published entries that may be the same person.

    Only what a public page shows is compared: birth year and prefecture (every entry shows
    them), the county of a named entry. A name of an anonymous entry is matched but never
    shown: all such matches of a candidate become one ANONYMOUS_MATCH."""
    keys = sorted({key for candidate in candidates for key in candidate.keys})
    by_key = {}
    for row in _public_rows(keys, user) if keys else ():
        by_key.setdefault(row[0], []).append(row)
    results = []
    for candidate in candidates:
        named, anonymous = {}, False
        for key in candidate.keys:
            for _key, value, birth_year, prefecture, county, entry, unnamed in by_key.get(key, ()):
                if candidate.birth_year and birth_year and birth_year != candidate.birth_year:
                    continue
                if candidate.prefecture and prefecture and prefecture != candidate.prefecture:
                    continue
                if unnamed:
                    anonymous = True
                    continue
                if candidate.county and county and county.lower() != candidate.county.lower():
                    continue
                named.setdefault(
                    entry,
                    PublicMatch(
                        anonymous=False,
                        entry_number=entry,
                        name=value,
                        birth_year=birth_year,
                        url=reverse("cases:case", kwargs={"entry_number": entry}),
                    ),
                )
        matches = [named[entry] for entry in sorted(named)]
        results.append([*matches, ANONYMOUS_MATCH] if anonymous else matches)
    return results


def _take_lookups(user, wanted):
    """How many of `wanted` look-ups the user may make now; every one asked for is counted."""
    window = settings.DUPLICATE_LOOKUP_WINDOW_SECONDS
    key = f"duplicate-lookups:{user.pk}:{int(time.time()) // window}"
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key, wanted)
    except ValueError:  # expired between add() and incr()
        cache.set(key, wanted, timeout=window)
        used = wanted
    return max(0, min(wanted, settings.DUPLICATE_LOOKUP_LIMIT - (used - wanted)))


def check_public_records(candidates: Sequence[Candidate], *, user, where: str) -> PublicCheck:
    """`match_public_records` within the user's look-up limit, on record in the audit log.

    The matches come in the order of `candidates`; a candidate without a name, or beyond the
    limit, has none. Site staff see every case anyway: their own check covers all, and nothing
    is counted. The audit event holds counts only, never a name."""
    matches = [[] for _candidate in candidates]
    wanted = [index for index, candidate in enumerate(candidates) if candidate.keys]
    if user.sees_all_organizations or not wanted:
        return PublicCheck(matches=matches)
    allowed = _take_lookups(user, len(wanted))
    checked = wanted[:allowed]
    found = match_public_records([candidates[i] for i in checked], user=user) if checked else []
    for index, result in zip(checked, found, strict=True):
        matches[index] = result
    unchecked = len(wanted) - allowed
    named = sum(1 for result in found for match in result if not match.anonymous)
    anonymous = sum(1 for result in found if ANONYMOUS_MATCH in result)
    if named or anonymous or unchecked:
        record(
            AuditEvent.Kind.DUPLICATE_LOOKUP,
            user=user,
            target=where,
            details={
                "checked": allowed,
                "unchecked": unchecked,
                "named_matches": named,
                "anonymous_matches": anonymous,
            },
        )
    return PublicCheck(matches=matches, unchecked=unchecked)


def lookup_limit_message() -> str:
    hours = max(1, settings.DUPLICATE_LOOKUP_WINDOW_SECONDS // 3600)
    return ngettext(
        "Other groups' published entries were not checked: you have reached the limit of "
        "%(limit)s such checks in %(hours)s hour. Ask site staff to check them for you.",
        "Other groups' published entries were not checked: you have reached the limit of "
        "%(limit)s such checks in %(hours)s hours. Ask site staff to check them for you.",
        hours,
    ) % {"limit": settings.DUPLICATE_LOOKUP_LIMIT, "hours": hours}
