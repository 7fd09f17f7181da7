"""Publishing and taking down: the only writes to the public record.

`publish_entries` builds public entries from the working record (cases.public.snapshot) and
writes them with their countries, their public files (derivatives without metadata) and a
publication record; `take_down` deletes a case's entry and its files in the caller's
transaction, with no review. Both keep the public advocacy actions and the cached figures in
step. The review workflow (cases.services.workflow) decides who may call them and when.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords

from cases.models import (
    Case,
    CaseEvent,
    CaseTranslation,
    Citizenship,
    Consent,
    Person,
    PersonName,
    PublicAction,
    PublicationRecord,
    PublicEntry,
    PublicEntryCountry,
    PublicEntryFacility,
    PublicFile,
    PublicNameKey,
    Relationship,
    Residence,
    Source,
    Testimony,
    Visibility,
)
from cases.public.allowlist import public_value
from cases.public.derivatives import public_derivative
from cases.public.figures import forget_figures
from cases.public.pagecache import bump_public_version
from cases.public.snapshot import ENTRY_COLUMNS, Snapshot, build_snapshot, snapshot_cases
from casetracker.dates import DatePrecision
from orgs.models import AdvocacyAction

CHUNK = 500


def _delete_files_on_commit(files: Iterable[PublicFile]) -> None:
    stored = [(f.file.storage, f.file.name) for f in files if f.file]

    def delete():
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(delete)


def _write_files(entry: PublicEntry, snapshot: Snapshot) -> list[dict[str, Any]]:
    written = []
    for planned in snapshot.files:
        with planned.field_file.open("rb") as handle:
            derivative = public_derivative(handle.read())
        if derivative is None:
            continue
        public_file = PublicFile(
            entry=entry,
            kind=planned.kind,
            source_id=planned.source_id,
            content_type=derivative.content_type,
        )
        public_file.file.save(
            f"{planned.kind}.{derivative.extension}", ContentFile(derivative.data), save=False
        )
        public_file.save()
        written.append({"kind": planned.kind, "source": planned.source_id})
    return written


def _next_revisions(case_ids: list[int]) -> dict[int, int]:
    latest: dict[int, int] = {}
    for case_id, revision in PublicationRecord.objects.filter(
        case_id__in=case_ids, action=PublicationRecord.Action.PUBLISHED
    ).values_list("case_id", "revision"):
        latest[case_id] = max(latest.get(case_id, 0), revision)
    return {case_id: latest.get(case_id, 0) + 1 for case_id in case_ids}


@transaction.atomic
def publish_entries(
    case_ids: Iterable[int], *, by=None, reason: str = "published", with_files: bool = True
) -> int:
    """Publish the current working record of each case: a new revision of its public entry.

    Loads the cases in chunks with everything a snapshot reads, so that publishing many cases
    (seed_demo, the migration that built the first entries) costs a few queries per chunk.
    Returns how many entries were written."""
    case_ids = list(case_ids)
    written = 0
    now = timezone.now()
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start : start + CHUNK]
        cases = list(snapshot_cases().filter(pk__in=chunk))
        revisions = _next_revisions(chunk)
        existing = {e.case_id: e for e in PublicEntry.objects.filter(case_id__in=chunk)}
        old_files = list(PublicFile.objects.filter(entry__case_id__in=chunk))
        _delete_files_on_commit(old_files)
        PublicFile.objects.filter(pk__in=[f.pk for f in old_files]).delete()
        PublicEntryCountry.objects.filter(entry__case_id__in=chunk).delete()
        PublicNameKey.objects.filter(entry__case_id__in=chunk).delete()
        PublicEntryFacility.objects.filter(entry__case_id__in=chunk).delete()
        snapshots = {case.pk: build_snapshot(case) for case in cases}
        entries = []
        for case in cases:
            snapshot = snapshots[case.pk]
            entry = existing.get(case.pk) or PublicEntry(case=case, first_published_at=now)
            for name, value in snapshot.columns.items():
                setattr(entry, name, value)
            entry.revision = revisions[case.pk]
            entry.published_at = now
            entries.append(entry)
        new = [e for e in entries if e.pk is None]
        PublicEntry.objects.bulk_create(new)
        changed = [e for e in entries if e not in new]
        if changed:
            PublicEntry.objects.bulk_update(changed, [*ENTRY_COLUMNS, "revision", "published_at"])
        PublicEntryCountry.objects.bulk_create(
            PublicEntryCountry(entry=entry, relation=relation, country_code=code)
            for entry in entries
            for relation, code in snapshots[entry.case_id].countries
        )
        PublicNameKey.objects.bulk_create(
            PublicNameKey(entry=entry, key=key, name=name)
            for entry in entries
            for key, name in snapshots[entry.case_id].name_keys
        )
        PublicEntryFacility.objects.bulk_create(
            PublicEntryFacility(entry=entry, facility_id=facility_id)
            for entry in entries
            for facility_id in snapshots[entry.case_id].facility_ids
        )
        records = []
        for entry in entries:
            snapshot = snapshots[entry.case_id]
            record = snapshot.as_record()
            record["files"] = _write_files(entry, snapshot) if with_files else []
            records.append(
                PublicationRecord(
                    case_id=entry.case_id,
                    entry_number=entry.entry_number,
                    revision=entry.revision,
                    action=PublicationRecord.Action.PUBLISHED,
                    at=now,
                    by=by,
                    reason=reason,
                    snapshot=record,
                )
            )
        PublicationRecord.objects.bulk_create(records)
        refresh_public_actions(case_ids=chunk)
        written += len(entries)
    _public_record_changed()
    return written


def take_down(*, case: Case, by=None, reason: str) -> bool:
    """Delete the case's public entry and its public files, now. Returns whether there was one.

    Runs in the caller's transaction (a withdrawal of consent or of the case), so that the
    entry is gone in the same commit as the withdrawal."""
    entry = PublicEntry.objects.filter(case=case).first()
    if entry is None:
        return False
    files = list(entry.files.all())
    PublicationRecord.objects.create(
        case=case,
        entry_number=entry.entry_number,
        revision=entry.revision,
        action=PublicationRecord.Action.TAKEN_DOWN,
        at=timezone.now(),
        by=by,
        reason=reason,
        snapshot=entry_record(entry),
    )
    _delete_files_on_commit(files)
    action_ids = list(entry.public_actions.values_list("action_id", flat=True))
    entry.delete()
    PublicAction.objects.filter(action_id__in=action_ids).delete()
    _public_record_changed()
    return True


def entry_record(entry: PublicEntry) -> dict[str, Any]:
    """The entry as a publication record keeps it."""
    return {
        "entry_number": entry.entry_number,
        "identity_level": entry.identity_level,
        "organization": entry.organization_id,
        "status": entry.status,
        "evidence_level": entry.evidence_level,
        "detention_year": entry.detention_year,
        "gender": entry.gender,
        "birth_year": entry.birth_year,
        "ethnicity": entry.ethnicity,
        "prefecture": entry.prefecture,
        "display_name": entry.display_name,
        "display_name_script": entry.display_name_script,
        "search_document": entry.search_document,
        "content": entry.content,
        "countries": [[c.relation, c.country_code] for c in entry.countries.all()],
        "files": [{"kind": f.kind, "source": f.source_id} for f in entry.files.all()],
    }


def _action_content(action: AdvocacyAction) -> dict[str, Any]:
    fields = ("kind", "title", "date_precision", "addressee", "reference_number", "description")
    content = {name: public_value(action, name) for name in (*fields, "outcome")}
    content["date"] = public_value(action, "date").isoformat()
    content["date_precision"] = content["date_precision"] or DatePrecision.DAY
    return content


def refresh_public_actions(*, case_ids: Iterable[int] = (), action_ids: Iterable[int] = ()):
    """Show each public advocacy action naming these cases while, and only while, every case it
    names has a public entry that names the person; otherwise take it off."""
    actions = (
        AdvocacyAction.objects.filter(cases__in=list(case_ids))
        | AdvocacyAction.objects.filter(pk__in=list(action_ids))
    ).distinct()
    actions = actions.prefetch_related("cases__public_entry")
    for action in actions:
        cases = list(action.cases.all())
        entries = [getattr(case, "public_entry", None) for case in cases]
        named = [entry for entry in entries if entry is not None and not entry.is_anonymous]
        shown = action.is_public and cases and len(named) == len(cases)
        if not shown:
            PublicAction.objects.filter(action=action).delete()
            continue
        public, _created = PublicAction.objects.update_or_create(
            action=action,
            defaults={
                "organization_id": action.organization_id,
                "date": action.date,
                "content": _action_content(action),
            },
        )
        public.entries.set(named)


def _public_record_changed() -> None:
    """The cached figures and the cached public pages: out of date now and again after the
    commit, so that a page rendered in between from the old record is never served."""
    forget_figures()
    bump_public_version()
    transaction.on_commit(forget_figures)
    transaction.on_commit(bump_public_version)


# Change reasons of workflow steps: a click is not an edit, so it does not make anyone an
# editor for the four-eyes rule.
WORKFLOW_REASONS = (
    "submitted for review",
    "published",
    "revision published",
    "withdrawn",
    "returned to draft",
    "consent withdrawn",
    "consent given again",
    "taken down",
)

# The rows whose changes are changes to a case's content, and the column naming the case or
# its person in each history table.
_CASE_ROWS: tuple[tuple[Any, str], ...] = (
    (CaseEvent, "case_id"),
    (Testimony, "case_id"),
    (Source, "case_id"),
    (Consent, "case_id"),
    (CaseTranslation, "case_id"),
)
_PERSON_ROWS: tuple[tuple[Any, str], ...] = (
    (Person, "id"),
    (PersonName, "person_id"),
    (Relationship, "person_id"),
    (Citizenship, "person_id"),
    (Residence, "person_id"),
)


def last_publication(case: Case) -> datetime.datetime | None:
    return (
        PublicationRecord.objects.filter(case=case, action=PublicationRecord.Action.PUBLISHED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def content_editors(case: Case, *, since: datetime.datetime | None = None) -> set[int]:
    """The users who changed the case's content (the case, its person and their rows) since
    `since`: never workflow steps, which change no content. One query over every history."""

    def changed(history, **where):
        rows = history.filter(**where).exclude(history_user=None)
        if since is not None:
            rows = rows.filter(history_date__gt=since)
        return rows.order_by().values_list("history_user_id", flat=True)

    queries = [
        changed(case.history.exclude(history_change_reason__in=WORKFLOW_REASONS), id=case.pk)
    ]
    queries += [changed(model.history.all(), **{column: case.pk}) for model, column in _CASE_ROWS]
    queries += [
        changed(model.history.all(), **{column: case.person_id}) for model, column in _PERSON_ROWS
    ]
    return set(queries[0].union(*queries[1:]))


def four_eyes_problem(case: Case, user) -> str:
    """Why `user` may not publish the case's current content, or "" when they may: a reviewer
    may not publish what only they changed since the last publication."""
    editors = content_editors(case, since=last_publication(case))
    if editors == {user.pk}:
        return gettext(
            "Four eyes: you are the only person who has edited this case. Another reviewer "
            "must publish it (edits count since it was last published)."
        )
    return ""


def _flatten(snapshot: dict[str, Any]) -> dict[str, Any]:
    flat = {
        key: value
        for key, value in snapshot.items()
        if key not in ("content", "search_document", "files")
    }
    for key, value in (snapshot.get("content") or {}).items():
        flat[key] = value
    flat["files"] = snapshot.get("files", [])
    return flat


def publication_differences(case: Case) -> list[dict[str, str]]:
    """Field by field, where the working record differs from what the public sees now: what
    publishing this revision would change. Empty when there is no public entry.

    A page that shows the differences and also checks the workflow's steps computes them once
    and leaves them on the case as `known_publication_differences` for the step's check."""
    known = getattr(case, "known_publication_differences", None)
    if known is not None:
        return known
    entry = PublicEntry.objects.filter(case=case).prefetch_related("countries", "files").first()
    if entry is None:
        return []
    loaded = snapshot_cases().get(pk=case.pk)
    try:
        working = build_snapshot(loaded).as_record()
    except ValueError:
        working = {}
    public = _flatten(entry_record(entry))
    working = _flatten(working)
    differences = []
    for key in sorted(public.keys() | working.keys()):
        before, after = public.get(key), working.get(key)
        if key == "files":
            before = sorted(before or [], key=lambda f: (f["kind"], f["source"] or 0))
            after = sorted(after or [], key=lambda f: (f["kind"], f["source"] or 0))
        if key == "countries":
            before, after = sorted(before or []), sorted(after or [])
        if before != after:
            differences.append({"field": key, "public": _shown(before), "working": _shown(after)})
    return differences


def _shown(value: Any) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


def _current_user():
    """The signed-in user of the request being served, as django-simple-history sees it."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


_IDENTITY_RANK: dict[str, int] = {
    Consent.IdentityLevel.ANONYMOUS: 0,
    Consent.IdentityLevel.NAME_ONLY: 1,
    Consent.IdentityLevel.FULL: 2,
}


def consent_narrows_entry(consent: Consent, entry: PublicEntry) -> bool:
    """Whether the public entry shows more than the consent now allows."""
    if not consent.allows_publication:
        return True
    if _IDENTITY_RANK[consent.identity_level] < _IDENTITY_RANK[entry.identity_level]:
        return True
    content = entry.content or {}
    if content.get("has_photo") and not consent.shows_photo:
        return True
    named_relative = any(relative.get("name") for relative in content.get("relatives", []))
    return named_relative and not consent.giver_may_be_named


@transaction.atomic
def consent_changed(consent: Consent) -> None:
    """A consent saved by any path (the admin, an import, a merge, the workflow): when the
    public entry shows more than it now allows, the entry goes at once and the case leaves the
    published state. Publishing again needs a reviewer."""
    entry = PublicEntry.objects.filter(case_id=consent.case_id).first()
    if entry is None or not consent_narrows_entry(consent, entry):
        return
    by = _current_user()
    withdrawn = not consent.allows_publication
    reason = "consent withdrawn" if withdrawn else "consent narrowed"
    take_down(case=consent.case, by=by, reason=reason)
    state = Case.PublicationState.WITHDRAWN if withdrawn else Case.PublicationState.IN_REVIEW
    case = Case.objects.select_for_update().get(pk=consent.case_id)
    if case.publication_state == Case.PublicationState.PUBLISHED:
        case.publication_state = state
        case._history_user = by
        case._change_reason = "taken down"
        case.version += 1
        case.save(update_fields=["publication_state", "version", "updated_at"])


def hidden_by_anonymity(case: Case) -> list[str]:
    """What an anonymous case holds that is marked public but will not show, as sentences for
    the volunteer: an anonymous entry shows no source, testimony or action."""
    consent = getattr(case, "consent", None)
    if consent is None or consent.identity_level != Consent.IdentityLevel.ANONYMOUS:
        return []
    counts = (
        (case.sources.filter(visibility=Visibility.PUBLIC).count(), gettext("public sources")),
        (
            case.testimonies.filter(visibility=Visibility.PUBLIC).count(),
            gettext("public testimonies"),
        ),
        (case.advocacy_actions.filter(is_public=True).count(), gettext("public advocacy actions")),
    )
    return [f"{count} {label}" for count, label in counts if count]
