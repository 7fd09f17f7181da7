"""Writing a checked plan: one transaction, all rows or none.

New cases go in with multi-row inserts (cases.management.bulk.BulkInsert) and explicit keys, so that
a row's person, names, case, detention, relative, testimony and source point at each other before
they are written; each object gets its history row in the same way, with the importing user and a
change reason that names the file and the row. The bulk path skips `full_clean()` (it would cost
queries per object): `rows` has already held every value to the models' rules (lengths, choices,
dates with their precision, nothing in the future), and a test checks that what the import writes
passes `full_clean()`. Rows that update a case (an entry number was given) are few and go through
the ORM with `full_clean()`, and its history records them as usual.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.imports.plan import ImportPlan
from cases.management.bulk import BulkInsert, reserve_ids
from cases.models import (
    Case,
    CaseEvent,
    EntryNumberCounter,
    Facility,
    Person,
    PersonName,
    Relationship,
    Source,
    Testimony,
)
from cases.services.history import attribute_change
from casetracker.dates import DatePrecision
from orgs.models import User

# Rows per step: small enough for steady progress, large enough for few statements.
BATCH_ROWS = 500

GENDER_OF_RELATIVE = {
    Relationship.Kind.MOTHER: Person.Gender.FEMALE,
    Relationship.Kind.DAUGHTER: Person.Gender.FEMALE,
    Relationship.Kind.WIFE: Person.Gender.FEMALE,
    Relationship.Kind.SISTER: Person.Gender.FEMALE,
    Relationship.Kind.FATHER: Person.Gender.MALE,
    Relationship.Kind.SON: Person.Gender.MALE,
    Relationship.Kind.HUSBAND: Person.Gender.MALE,
    Relationship.Kind.BROTHER: Person.Gender.MALE,
}


@dataclass
class ImportResult:
    created: int
    updated: int
    case_ids: list[int]


def change_reason(file_name: str, row: int) -> str:
    return f"Imported from “{file_name}”, row {row}"


def reserve_keys(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, safe beside concurrent ordinary inserts.

    PostgreSQL hands them out from the table's own sequence; SQLite writes one transaction at a
    time (IMMEDIATE mode), so the keys after the largest one are free until it commits.
    """
    if count == 0:
        return []
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    return list(reserve_ids(model, count))


class _Writer:
    """Pairs each model's BulkInsert with one for its history table."""

    def __init__(self, *, user, file_name, now):
        self.user_id = user.pk if user else None
        self.file_name = file_name
        self.now = now
        self.inserts = {}

    def add(self, model, row_number, **values):
        if model not in self.inserts:
            self.inserts[model] = (
                BulkInsert(model, with_pk=True),
                BulkInsert(model.history.model) if hasattr(model, "history") else None,
            )
        insert, history = self.inserts[model]
        row = {**insert.defaults, **values}
        insert.add(**row)
        if history is not None:
            history.add(
                **row,
                history_date=self.now,
                history_type="+",
                history_user_id=self.user_id,
                history_change_reason=change_reason(self.file_name, row_number),
            )

    def flush(self):
        # Parents before children: foreign keys are checked at the latest at commit anyway.
        for model in (Person, PersonName, Case, CaseEvent, Relationship, Testimony, Source):
            if model in self.inserts:
                insert, history = self.inserts[model]
                insert.flush()
                if history is not None:
                    history.flush()

    def count(self, model):
        return self.inserts[model][0].count if model in self.inserts else 0


def import_cases(
    plan: ImportPlan,
    *,
    user: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write `plan` (a dry run without errors) in one transaction; returns an ImportResult."""
    if not plan.can_import:
        raise ValueError("Only a plan without errors can be imported.")
    rows = plan.rows
    total = len(rows)
    with transaction.atomic():
        now = timezone.now()
        facilities = _facilities(rows, user=user, file_name=plan.file_name)
        creates = [row for row in rows if not row.is_update]
        keys = _reserve(creates)
        first_entry = EntryNumberCounter.take(len(creates)) if creates else 0
        writer = _Writer(user=user, file_name=plan.file_name, now=now)
        case_ids: list[int] = []
        for start in range(0, total, BATCH_ROWS):
            for row in rows[start : start + BATCH_ROWS]:
                if row.is_update:
                    case_ids.append(_update(row, plan=plan, user=user, facilities=facilities))
                else:
                    case_ids.append(
                        _create(
                            row,
                            writer=writer,
                            keys=keys,
                            entry_number=first_entry + writer.count(Case) + _pending(writer),
                            organization=plan.organization,
                            user=user,
                            facilities=facilities,
                        )
                    )
            writer.flush()
            # The batch's detention events are written: the year of each case, in one statement.
            Case.objects.filter(pk__in=case_ids[start:]).refresh_detention_years(created_at=now)
            if progress:
                progress(min(start + BATCH_ROWS, total), total)
    return ImportResult(
        created=writer.count(Case),
        updated=sum(1 for row in rows if row.is_update),
        case_ids=case_ids,
    )


def _pending(writer):
    """Cases added to the writer but not flushed yet."""
    return len(writer.inserts[Case][0].rows) if Case in writer.inserts else 0


def _facilities(rows, *, user, file_name):
    """Facility ids by lower-cased name: known ones matched, unknown ones added (on record:
    facilities are shared by every group)."""
    names = {}
    for row in rows:
        name = row.values.get("facility")
        if name:
            names.setdefault(name.lower(), name)
    if not names:
        return {}
    found = {}
    wanted = sorted(names)
    for start in range(0, len(wanted), 900):
        for pk, lowered in (
            Facility.objects.annotate(lowered=Lower("name"))
            .filter(lowered__in=wanted[start : start + 900])
            .order_by("pk")
            .values_list("pk", "lowered")
        ):
            found.setdefault(lowered, pk)
    missing = [Facility(name=names[lowered]) for lowered in wanted if lowered not in found]
    # Both databases return the new keys from a bulk insert (SQLite 3.35+).
    added = bulk_create_with_history(
        missing,
        Facility,
        default_user=user,
        default_change_reason=f"Imported from “{file_name}”",
    )
    for facility in added:
        found[facility.name.lower()] = facility.pk
    return found


def _reserve(creates):
    count = dict.fromkeys((Person, PersonName, Case, CaseEvent, Relationship, Testimony, Source), 0)
    for row in creates:
        values = row.values
        count[Person] += 1 + ("relative" in values)
        count[PersonName] += len(row.names) + ("relative" in values)
        count[Case] += 1
        count[CaseEvent] += bool(values.get("detention_date") or values.get("facility"))
        count[Relationship] += "relative" in values
        count[Testimony] += "relative" in values
        count[Source] += "source_url" in values
    keys = {model: iter(reserve_keys(model, n)) for model, n in count.items()}
    return keys


def _create(row, *, writer, keys, entry_number, organization, user, facilities):
    values = row.values
    person_id = next(keys[Person])
    writer.add(
        Person,
        row.row,
        id=person_id,
        organization_id=organization.pk,
        gender=values.get("gender", Person.Gender.UNKNOWN),
        birth_date=values.get("birth_date"),
        birth_date_precision=values.get("birth_date_precision") or DatePrecision.YEAR,
        ethnicity=values.get("ethnicity", "unknown"),
        hometown_prefecture=values.get("prefecture", ""),
        hometown_county=values.get("county", ""),
        hometown_township=values.get("township", ""),
        hometown_village=values.get("village", ""),
        notes=_date_words(values, "birth_date"),
    )
    seen = set()
    for name in row.names:
        if (name.value, name.script) in seen:
            continue
        seen.add((name.value, name.script))
        writer.add(
            PersonName,
            row.row,
            id=next(keys[PersonName]),
            person_id=person_id,
            value=name.value,
            script=name.script,
            language=name.language,
            kind=name.kind,
            search_key=name.key,
        )
    case_id = next(keys[Case])
    detention_date = values.get("detention_date")
    writer.add(
        Case,
        row.row,
        id=case_id,
        entry_number=entry_number,
        person_id=person_id,
        organization_id=organization.pk,
        status=values.get("status", Case.Status.UNKNOWN),
        publication_state=Case.PublicationState.DRAFT,
        notes=values.get("notes", ""),
        created_by_id=user.pk if user else None,
    )
    if detention_date or values.get("facility"):
        facility = values.get("facility")
        writer.add(
            CaseEvent,
            row.row,
            id=next(keys[CaseEvent]),
            case_id=case_id,
            kind=CaseEvent.Kind.DETAINED,
            date_start=detention_date,
            date_start_precision=values.get("detention_date_precision") or DatePrecision.DAY,
            facility_id=facilities.get(facility.lower()) if facility else None,
            notes=_date_words(values, "detention_date"),
        )
    if "relative" in values:
        _add_relative(
            row,
            writer=writer,
            keys=keys,
            person_id=person_id,
            case_id=case_id,
            organization=organization,
        )
    if "source_url" in values:
        _add_source(row, writer=writer, key=next(keys[Source]), case_id=case_id)
    return case_id


def _add_relative(row, *, writer, keys, person_id, case_id, organization):
    values = row.values
    relative_id = next(keys[Person])
    relative = values["relative"]
    writer.add(
        Person,
        row.row,
        id=relative_id,
        organization_id=organization.pk,
        gender=GENDER_OF_RELATIVE.get(values["relationship"], Person.Gender.UNKNOWN),
        contact_details=values.get("relative_phone", ""),
    )
    writer.add(
        PersonName,
        row.row,
        id=next(keys[PersonName]),
        person_id=relative_id,
        value=relative.value,
        script=relative.script,
        language=relative.language,
        kind=PersonName.Kind.PRIMARY,
        search_key=relative.key,
    )
    writer.add(
        Relationship,
        row.row,
        id=next(keys[Relationship]),
        person_id=person_id,
        relative_id=relative_id,
        kind=values["relationship"],
    )
    writer.add(
        Testimony,
        row.row,
        id=next(keys[Testimony]),
        case_id=case_id,
        testifier_id=relative_id,
        relationship=values["relationship"],
        medium=values["testimony_medium"],
    )


def _add_source(row, *, writer, key, case_id):
    values = row.values
    writer.add(
        Source,
        row.row,
        id=key,
        case_id=case_id,
        kind=Source.Kind.OTHER,
        title=values.get("source_title") or values["source_url"][:300],
        url=values["source_url"],
    )


def _date_words(values, key):
    words = values.get(f"{key}_text")
    return f"Date as given in the import: {words}" if words else ""


def _history(instance, *, user, plan, row):
    attribute_change(instance, by=user, reason=change_reason(plan.file_name, row.row))
    return instance


def _update(row, *, plan, user, facilities):
    """Add what the row says to an existing case of the organization (entry number given);
    returns the case's id."""
    values = row.values
    # Locked like the admin's save locks it, so that the version bump below cannot interleave.
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=row.case_id)
    person = case.person
    changed = {
        field: values[key]
        for field, key in (
            ("gender", "gender"),
            ("birth_date", "birth_date"),
            ("birth_date_precision", "birth_date_precision"),
            ("ethnicity", "ethnicity"),
            ("hometown_prefecture", "prefecture"),
            ("hometown_county", "county"),
            ("hometown_township", "township"),
            ("hometown_village", "village"),
        )
        if values.get(key) and getattr(person, field) != values[key]
    }
    if changed:
        for field, value in changed.items():
            setattr(person, field, value)
        person.full_clean()
        _history(person, user=user, plan=plan, row=row).save()
    existing = {(name.search_key, name.script): name for name in person.names.all()}
    primary_scripts = {n.script for n in existing.values() if n.kind == PersonName.Kind.PRIMARY}
    for name in row.names:
        if (name.key, name.script) in existing:
            continue
        kind = name.kind
        if kind == PersonName.Kind.PRIMARY and name.script in primary_scripts:
            kind = PersonName.Kind.ALIAS
        new = PersonName(
            person=person, value=name.value, script=name.script, language=name.language, kind=kind
        )
        new.full_clean()
        _history(new, user=user, plan=plan, row=row).save()
        existing[(name.key, name.script)] = new
        if kind == PersonName.Kind.PRIMARY:
            primary_scripts.add(name.script)
    case_changes = []
    if values.get("status") and values["status"] != case.status:
        case.status = values["status"]
        case_changes.append("status")
    if values.get("notes"):
        case.notes = f"{case.notes}\n\n{values['notes']}".strip()
        case_changes.append("notes")
    if case_changes:
        # The admin refuses a form loaded at an older version (concurrent-edit check): without
        # the bump, a volunteer who had the case open would silently overwrite the import.
        case.version += 1
        case.full_clean()
        _history(case, user=user, plan=plan, row=row).save()
    if values.get("detention_date") or values.get("facility"):
        date = values.get("detention_date")
        if not case.events.filter(kind=CaseEvent.Kind.DETAINED, date_start=date).exists():
            facility = values.get("facility")
            event = CaseEvent(
                case=case,
                kind=CaseEvent.Kind.DETAINED,
                date_start=date,
                date_start_precision=values.get("detention_date_precision") or DatePrecision.DAY,
                facility_id=facilities.get(facility.lower()) if facility else None,
                notes=_date_words(values, "detention_date"),
            )
            event.full_clean()
            _history(event, user=user, plan=plan, row=row).save()
    if "relative" in values:
        _update_relative(row, case=case, person=person, user=user, plan=plan)
    if "source_url" in values and not case.sources.filter(url=values["source_url"]).exists():
        source = Source(
            case=case,
            kind=Source.Kind.OTHER,
            title=values.get("source_title") or values["source_url"][:300],
            url=values["source_url"],
        )
        source.full_clean()
        _history(source, user=user, plan=plan, row=row).save()
    return case.pk


def _update_relative(row, *, case, person, user, plan):
    values = row.values
    relative_name = values["relative"]
    known = Relationship.objects.filter(
        person=person, relative__names__search_key=relative_name.key
    ).exists()
    if known:
        return
    relative = Person(
        organization_id=case.organization_id,
        gender=GENDER_OF_RELATIVE.get(values["relationship"], Person.Gender.UNKNOWN),
        contact_details=values.get("relative_phone", ""),
    )
    relative.full_clean()
    _history(relative, user=user, plan=plan, row=row).save()
    for obj in (
        PersonName(
            person=relative,
            value=relative_name.value,
            script=relative_name.script,
            language=relative_name.language,
            kind=PersonName.Kind.PRIMARY,
        ),
        Relationship(person=person, relative=relative, kind=values["relationship"]),
        Testimony(
            case=case,
            testifier=relative,
            relationship=values["relationship"],
            medium=values["testimony_medium"],
        ),
    ):
        obj.full_clean()
        _history(obj, user=user, plan=plan, row=row).save()
