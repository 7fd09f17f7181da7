"""Keeping a previewed upload on the server until the volunteer confirms it and the worker has
written it (cases.jobs; the import's progress is the job's, jobs.runner).

The file is written to a private folder under a random token; the volunteer's session holds the
token with the file's SHA-256, name and chosen organization, so only they can confirm it, and
only the very bytes they previewed are imported. It holds the meanings the preview read the
file's words with (the volunteer's answers and the group's saved meanings it used,
cases.imports.vocabulary.Meanings): the confirm step and the job read the file with exactly
those. A written or abandoned file is deleted (the
latter after a day, by the next upload or `manage.py housekeeping`). With several servers, the
web servers and the worker must share CASE_IMPORT_DIR.
"""

import hashlib
import os
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from cases.imports.vocabulary import MeaningError, Meanings
from orgs.models import Organization

SESSION_KEY = "case_imports"
MAX_AGE_SECONDS = 24 * 3600


def upload_folder() -> Path:
    folder = Path(
        getattr(settings, "CASE_IMPORT_DIR", None)
        or Path(tempfile.gettempdir()) / "casetracker-imports"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@dataclass
class PendingImport:
    token: str
    file_name: str
    sha256: str
    organization_id: int
    meanings: Meanings = field(default_factory=Meanings)

    @property
    def path(self) -> Path:
        return upload_folder() / self.token

    def open(self) -> File | None:
        """The stored bytes, or None when they are gone or no longer match the preview."""
        try:
            handle = self.path.open("rb")
        except OSError:
            return None
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
        if digest.hexdigest() != self.sha256:
            handle.close()
            return None
        handle.seek(0)
        return File(handle, name=self.file_name)

    def discard(self, request: HttpRequest) -> None:
        self.path.unlink(missing_ok=True)
        self.forget(request)

    def give_meanings(self, request: HttpRequest, meanings: Meanings) -> None:
        """The meanings the file is read with from now on."""
        self.meanings = meanings
        pending = request.session.get(SESSION_KEY, {})
        if self.token in pending:
            pending[self.token]["meanings"] = meanings.to_params()
            request.session[SESSION_KEY] = pending

    def forget(self, request):
        """The session no longer offers this upload; its file stays for the job that writes it."""
        pending = request.session.get(SESSION_KEY, {})
        if pending.pop(self.token, None) is not None:
            request.session[SESSION_KEY] = pending


def keep(
    request: HttpRequest,
    uploaded: UploadedFile,
    *,
    file_name: str,
    organization: Organization,
    meanings: Meanings | None = None,
) -> PendingImport:
    """Store the upload for the confirm step; returns its PendingImport."""
    remove_stale()
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256()
    path = upload_folder() / token
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    uploaded.seek(0)
    with os.fdopen(descriptor, "wb") as handle:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            handle.write(chunk)
    pending = PendingImport(
        token, file_name, digest.hexdigest(), organization.pk, meanings or Meanings()
    )
    stored = request.session.get(SESSION_KEY, {})
    stored[token] = {
        "file_name": file_name,
        "sha256": pending.sha256,
        "organization_id": organization.pk,
        "meanings": pending.meanings.to_params(),
    }
    request.session[SESSION_KEY] = stored
    return pending


def find(request: HttpRequest, token: object) -> PendingImport | None:
    """The session's PendingImport for `token`, or None."""
    entry = request.session.get(SESSION_KEY, {}).get(str(token))
    if not entry:
        return None
    try:
        meanings = Meanings.from_params(entry.get("meanings"))
    except MeaningError:
        return None
    return PendingImport(
        str(token), entry["file_name"], entry["sha256"], entry["organization_id"], meanings
    )


def remove_stale() -> int:
    """Delete previewed uploads older than a day (never confirmed); returns how many."""
    cutoff = time.time() - MAX_AGE_SECONDS
    removed = 0
    for path in upload_folder().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed
