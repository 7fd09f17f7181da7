"""What waits for each person on the admin's first page: their drafts, cases sent back to them,
cases waiting for their review, published cases with unpublished changes, and their imports."""

import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from cases.imports.pending import SESSION_KEY
from cases.models import Case, PersonName
from cases.services.publication import WORKFLOW_REASONS
from cases.services.workflow import TRANSITIONS
from orgs.access import PUBLISHING_ROLES, organizations_for
from orgs.models import User

State = Case.PublicationState
LIMIT = 20
# The history reasons of the steps that send a case to review and back to its author.
_SUBMITTED = TRANSITIONS["submit"].history_reason
_RETURNED = TRANSITIONS["draft"].history_reason
_IMPORTED = re.compile(r"Imported from “(?P<file>.*)”, row \d+")


@dataclass
class ImportSummary:
    file_name: str
    cases: int
    last: object = None


@dataclass
class Home:
    drafts: list[Case] = field(default_factory=list)
    returned: list[Case] = field(default_factory=list)
    to_review: list[Case] = field(default_factory=list)
    unpublished_changes: list[Case] = field(default_factory=list)
    waiting_imports: list[str] = field(default_factory=list)
    imports: list[ImportSummary] = field(default_factory=list)


def _with_names(queryset: QuerySet) -> QuerySet:
    from django.db.models import Prefetch

    names = Prefetch("person__names", queryset=PersonName.objects.order_by())
    return queryset.select_related("person", "organization").prefetch_related(names)


def home_for(user: User, session=None) -> Home:
    """The sections of `user`'s home page (each at most LIMIT rows, newest change first)."""
    visible = Case.objects.visible_to(user)
    last_step = Subquery(
        Case.history.filter(id=OuterRef("pk"), history_change_reason__in=[_SUBMITTED, _RETURNED])
        .order_by("-history_date", "-history_id")
        .values("history_change_reason")[:1]
    )
    mine = (
        visible.filter(created_by=user, publication_state=State.DRAFT)
        .annotate(last_step=last_step)
        .order_by("-updated_at")
    )
    home = Home()
    for case in _with_names(mine)[: LIMIT * 2]:
        section = home.returned if case.last_step == _RETURNED else home.drafts
        if len(section) < LIMIT:
            section.append(case)
    reviewing = organizations_for(user, *PUBLISHING_ROLES)
    home.to_review = list(
        _with_names(
            visible.filter(publication_state=State.IN_REVIEW, organization__in=reviewing)
        ).order_by("updated_at")[:LIMIT]
    )
    # Published cases whose record changed after the revision the public sees (a workflow
    # step is no change): a reviewer's "publish this revision" waits for these.
    changed_since = Case.history.filter(
        id=OuterRef("pk"), history_date__gt=OuterRef("public_entry__published_at")
    ).exclude(history_change_reason__in=WORKFLOW_REASONS)
    home.unpublished_changes = list(
        _with_names(
            visible.filter(public_entry__isnull=False, organization__in=reviewing).filter(
                Exists(changed_since)
            )
        ).order_by("updated_at")[:LIMIT]
    )
    home.waiting_imports = [
        entry.get("file_name", "") for entry in ((session or {}).get(SESSION_KEY) or {}).values()
    ]
    imported: dict[str, ImportSummary] = {}
    records = (
        Case.history.filter(
            history_user=user, history_type="+", history_change_reason__startswith="Imported"
        )
        .order_by("-history_date")
        .values_list("history_change_reason", "history_date")[:2000]
    )
    for reason, when in records:
        match = _IMPORTED.fullmatch(reason or "")
        if match is None:
            continue
        summary = imported.setdefault(match["file"], ImportSummary(match["file"], 0, when))
        summary.cases += 1
    home.imports = list(imported.values())[:LIMIT]
    return home
