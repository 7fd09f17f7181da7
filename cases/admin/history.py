"""One timeline of everything that changed on a case page: the case, its person and names,
relatives, events, testimonies, sources and consent; who changed which field from what to what.

One query per kind of record, whatever the length of the history; the differences are worked
out here in Python from consecutive records of the same row.
"""

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from cases.choices import choice_labels
from cases.models import (
    Case,
    CaseEvent,
    Consent,
    Person,
    PersonName,
    Relationship,
    Source,
    Testimony,
)

# The fixed change reasons the workflow stores, shown in the reader's language; any other
# reason (an import's file name, a merge, a reason typed by a reviewer) shows as written.
_REASONS = {
    "submitted for review": pgettext_lazy("change reason", "submitted for review"),
    "published": pgettext_lazy("change reason", "published"),
    "revision published": pgettext_lazy("change reason", "revision published"),
    "withdrawn": pgettext_lazy("change reason", "withdrawn"),
    "case withdrawn": pgettext_lazy("change reason", "case withdrawn"),
    "returned to draft": pgettext_lazy("change reason", "returned to draft"),
    "consent withdrawn": pgettext_lazy("change reason", "consent withdrawn"),
    "consent narrowed": pgettext_lazy("change reason", "consent narrowed"),
    "consent given again": pgettext_lazy("change reason", "consent given again"),
    "consent deleted": pgettext_lazy("change reason", "consent deleted"),
    "taken down": pgettext_lazy("change reason", "taken down"),
}

# Bookkeeping columns that change on every save and say nothing to a reader.
_SKIPPED = {"updated_at", "version", "search_key", "detention_year"}
LIMIT = 500


def _rows_of(model, owner_field, owner_id):
    """History of the rows that belong to the owner now, including from before they were
    moved here by a merge, and of rows that belonged to it and were removed."""
    current = model.objects.filter(**{owner_field: owner_id}).values("pk")
    return model.history.filter(Q(**{f"{owner_field}_id": owner_id}) | Q(id__in=current))


def _display(field, value):
    if value is None or value == "":
        return "—"
    if field.choices:
        return choice_labels(field).get(value, value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value


def _label(model, record, case):
    # Never str() of a row whose __str__ follows a foreign key: that is a query per record.
    if model in (PersonName, CaseEvent, Source, Testimony):
        return str(record.instance)
    if model is Relationship:
        return record.get_kind_display()
    return str(case)


def case_timeline(case):
    sources = [
        (Case, Case.history.filter(id=case.pk)),
        (Person, Person.history.filter(id=case.person_id)),
        (PersonName, _rows_of(PersonName, "person", case.person_id)),
        (Relationship, _rows_of(Relationship, "person", case.person_id)),
        (CaseEvent, _rows_of(CaseEvent, "case", case.pk)),
        (Testimony, _rows_of(Testimony, "case", case.pk)),
        (Source, _rows_of(Source, "case", case.pk)),
        (Consent, _rows_of(Consent, "case", case.pk)),
    ]
    entries = []
    for model, records in sources:
        previous_by_row = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            previous = previous_by_row.get(record.id)
            changes = []
            if previous is not None and record.history_type == "~":
                for change in record.diff_against(previous).changes:
                    if change.field in _SKIPPED:
                        continue
                    field = model._meta.get_field(change.field)
                    changes.append(
                        {
                            "field": field.verbose_name,
                            "old": _display(field, change.old),
                            "new": _display(field, change.new),
                        }
                    )
            previous_by_row[record.id] = record
            if record.history_type == "~" and not changes and not record.history_change_reason:
                # A save that changed only bookkeeping, such as the case's version when only
                # an inline changed: the inline's own entry says what changed.
                continue
            entries.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "kind": model._meta.verbose_name,
                    "row": record.id,
                    "type": record.get_history_type_display(),
                    "history_type": record.history_type,
                    "reason": _REASONS.get(
                        record.history_change_reason, record.history_change_reason or ""
                    ),
                    "changes": changes,
                    "label": _label(model, record, case),
                }
            )
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries[:LIMIT]
