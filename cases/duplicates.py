"""Likely duplicates: the same person reported twice is the commonest data error.

Two records are likely the same person when a name matches in any script or transliteration
(same search key), and the birth year and hometown agree where both records give them.
"""

from django.db.models import Q

from cases.models import Person
from cases.names import search_key


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
