"""Uploaded files leave the storage with their row: a deleted source or testimony takes its file,
and a replaced photo or document removes the old one, once the transaction commits.

On purpose, the history keeps only the file's name: a photo a family asked to replace, or a
document someone deleted, is not kept on the server behind the history page (a seized or broken
server gives away only what it holds). The backups of the days before still hold it, until they
expire (deploy/casetracker-backup.service keeps 30 days).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from cases.uploads import UPLOAD_FIELDS


def _fields(sender):
    return [name for label, name, _validator in UPLOAD_FIELDS if sender._meta.label == label]


def _remember(sender, instance, **kwargs):
    # Only the files the row was loaded with: reading a deferred one (a queryset's only())
    # would cost a query per row.
    loaded = instance.__dict__
    instance._stored_file_names = {
        name: getattr(instance, name).name or "" for name in _fields(sender) if name in loaded
    }


def still_used(name: str) -> bool:
    """Whether a current row still points at the file (a merge may have moved it)."""
    from django.apps import apps

    return any(
        apps.get_model(label)._base_manager.filter(**{field: name}).exists()
        for label, field, _validator in UPLOAD_FIELDS
    )


def _delete_later(field_file, name):
    storage = field_file.storage

    def delete():
        if not still_used(name):
            storage.delete(name)

    transaction.on_commit(delete)


def _replaced(sender, instance, **kwargs):
    before = getattr(instance, "_stored_file_names", {})
    for name in _fields(sender):
        field_file = getattr(instance, name)
        old = before.get(name, "")
        if old and old != (field_file.name or ""):
            _delete_later(field_file, old)
    _remember(sender, instance)


def _deleted(sender, instance, **kwargs):
    for name in _fields(sender):
        field_file = getattr(instance, name)
        if field_file.name:
            _delete_later(field_file, field_file.name)


def connect():
    from django.apps import apps

    for label, _name, _validator in UPLOAD_FIELDS:
        model = apps.get_model(label)
        uid = f"stored_files_{label}"
        post_init.connect(_remember, sender=model, dispatch_uid=f"{uid}_init")
        post_save.connect(_replaced, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
