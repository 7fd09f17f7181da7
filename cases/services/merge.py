"""Merging two records of the same person: everything moves onto the case kept, with history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import (
    CaseEvent,
    Citizenship,
    Consent,
    PersonName,
    Relationship,
    Residence,
    Source,
    Submission,
    Testimony,
)
from cases.services import publication
from cases.services.history import attribute_change
from cases.services.workflow import State, lock_case, record_change
from orgs.access import is_site_staff


def _save_moved(row, *, by, reason):
    attribute_change(row, by=by, reason=reason)
    row.save()


@transaction.atomic
def merge_cases(*, keep, merge, by):
    """Move everything `merge` holds onto `keep`; `merge` is withdrawn, not deleted.

    Rows are saved one by one, not updated in bulk, so that each move is in the row's own
    history (with the reason) and the history before the move stays with the row.
    """
    if not is_site_staff(by):
        raise PermissionDenied(_("Only site staff may merge cases."))
    if keep.pk == merge.pk:
        raise ValidationError(_("A case cannot be merged into itself."))
    # Lock in a fixed order, so that two merges of the same pair cannot deadlock.
    locked = {case.pk: lock_case(case) for case in sorted([keep, merge], key=lambda c: c.pk)}
    keep, merge = locked[keep.pk], locked[merge.pk]
    reason = f"merged #{merge.entry_number} into #{keep.entry_number}"

    for model in (CaseEvent, Testimony, Source):
        for row in model.objects.filter(case=merge):
            row.case = keep
            _save_moved(row, by=by, reason=reason)
    for submission in Submission.objects.filter(case=merge):
        submission.case = keep
        submission.save(update_fields=["case"])
    for action in merge.advocacy_actions.all():
        action.cases.add(keep)
        action.cases.remove(merge)

    old_person, new_person = merge.person, keep.person
    primary_scripts = set(
        new_person.names.filter(kind=PersonName.Kind.PRIMARY).values_list("script", flat=True)
    )
    for name in PersonName.objects.filter(person=old_person):
        name.person = new_person
        if name.kind == PersonName.Kind.PRIMARY and name.script in primary_scripts:
            name.kind = PersonName.Kind.ALIAS
        _save_moved(name, by=by, reason=reason)
    for model in (Citizenship, Residence):
        held = set(model.objects.filter(person=new_person).values_list("country", flat=True))
        for row in model.objects.filter(person=old_person):
            if model is Citizenship and row.country_id in held:
                continue
            row.person = new_person
            _save_moved(row, by=by, reason=reason)
    known = set(Relationship.objects.filter(person=new_person).values_list("relative", "kind"))
    for row in Relationship.objects.filter(person=old_person):
        if (row.relative_id, row.kind) in known or row.relative_id == new_person.pk:
            continue
        row.person = new_person
        _save_moved(row, by=by, reason=reason)

    # Where the merged-away person appears in other records: as a relative, a testifier, or
    # whoever gave consent. Those records now point at the person kept.
    relatives_of = set(
        Relationship.objects.filter(relative=new_person).values_list("person", "kind")
    )
    for row in Relationship.objects.filter(relative=old_person):
        if (row.person_id, row.kind) in relatives_of or row.person_id == new_person.pk:
            continue
        row.relative = new_person
        _save_moved(row, by=by, reason=reason)
    for row in Testimony.objects.filter(testifier=old_person):
        row.testifier = new_person
        _save_moved(row, by=by, reason=reason)
    for row in Consent.objects.filter(given_by=old_person):
        row.given_by = new_person
        _save_moved(row, by=by, reason=reason)
    if new_person.family_id is None and old_person.family_id is not None:
        new_person.family_id = old_person.family_id
        _save_moved(new_person, by=by, reason=reason)

    moved_countries = set(merge.relatives_countries.all()) - set(keep.relatives_countries.all())
    if moved_countries:
        attribute_change(keep, by=by, reason=reason)
        keep.relatives_countries.add(*moved_countries)

    old_consent = getattr(merge, "consent", None)
    if old_consent is not None and getattr(keep, "consent", None) is None:
        old_consent.case = keep
        _save_moved(old_consent, by=by, reason=reason)

    # The merged-away entry leaves the public site now; what moved onto the case kept waits
    # for a reviewer to publish its next revision.
    publication.take_down(case=merge, by=by, reason=reason)
    merge.publication_state = State.WITHDRAWN
    merge.notes = "\n".join(
        filter(None, [merge.notes, _("Merged into case #%(n)s.") % {"n": keep.entry_number}])
    )
    record_change(merge, by=by, reason=reason, update_fields=["publication_state", "notes"])
    record_change(keep, by=by, reason=reason, update_fields=[])
    # The events moved from one case to the other: both timelines changed.
    keep.refresh_detention_year()
    merge.refresh_detention_year()
    return keep
