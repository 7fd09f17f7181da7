"""Name search as database conditions: every word of a query must meet a name's search key
(`cases.names.search_key`, stored on every PersonName)."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery

from cases.models import PersonName
from cases.names import search_key


def name_matches(text: str, *, path: str = "pk") -> Exists:
    """An Exists() condition: a name of the person at `path` contains every word of `text`.

    The simple form, used on every database; an empty query matches nothing.
    """
    words = search_key(text).split()
    names = PersonName.objects.filter(person=OuterRef(path))
    if not words:
        return Exists(names.none())
    for word in words:
        names = names.filter(search_key__contains=word)
    return Exists(names)


def name_search(text: str, *, path: str = "pk") -> Exists | Q:
    """A condition for name search, the best each database offers.

    On PostgreSQL every word of the query must be contained in a name's key or be similar to a
    word of it (pg_trgm word similarity, served by the GIN trigram index on the key), which also
    finds misspellings the folding does not merge. Elsewhere it is `name_matches`.
    """
    if connection.vendor != "postgresql":
        return name_matches(text, path=path)
    words = search_key(text).split()
    if not words:
        return Q(pk__in=[])
    names = PersonName.objects.all()
    for word in words:
        # Short words are too unspecific for similarity: they must appear as they are.
        condition = Q(search_key__contains=word)
        if len(word) >= 4:
            condition |= Q(search_key__trigram_word_similar=word)
        names = names.filter(condition)
    return Q(**{f"{path}__in": names.values("person")})


def name_search_rank(text: str, *, path: str = "pk") -> Subquery | None:
    """How well the best name of the person at `path` matches `text` (PostgreSQL), else None.

    Ordering search results by it shows the closest spellings first; it also keeps PostgreSQL
    from walking the whole list in entry order to find the few matching rows.
    """
    key = search_key(text)
    if connection.vendor != "postgresql" or not key:
        return None
    best = (
        PersonName.objects.filter(person=OuterRef(path))
        .annotate(rank=TrigramWordSimilarity(key, "search_key"))
        .order_by("-rank")
        .values("rank")[:1]
    )
    return Subquery(best)
