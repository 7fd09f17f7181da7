"""Feeds the audit log (orgs.audit) with what happens to cases: publication state changes and
consent changes; and hands every consent change to the publication service, which takes a
public entry down when the consent no longer allows what it shows.

The values as loaded are remembered on the instance and compared after a save, so watching
costs no query. Only states, flags and field names are logged, never notes.

A facility's change (shared reference data that facility pages read) refreshes the public pages."""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from cases.models import Case, Consent, Facility, PublicEntry
from cases.public.pagecache import bump_public_version
from cases.services.publication import consent_changed, take_down
from orgs.audit import record
from orgs.models import AuditEvent

# Consent fields whose changes are logged, with their values (flags and choices, not text).
CONSENT_FIELDS = (
    "consent_to_document",
    "consent_to_publish",
    "identity_level",
    "photo_consent",
    "un_submission_consent",
    "giver_may_be_named",
    "withdrawn_at",
)


# A field left out of the query (.only(), .defer()) was not seen, so cannot be compared.
NOT_LOADED = object()


def _case_loaded(sender, instance, **kwargs):
    instance._audit_publication_state = instance.__dict__.get("publication_state", NOT_LOADED)


def _case_saved(sender, instance, created, **kwargs):
    after = instance.__dict__.get("publication_state", NOT_LOADED)
    if created:
        # A new draft is not a publication; a case created straight into another state is.
        changed = after not in (NOT_LOADED, sender.PublicationState.DRAFT)
        before = None
    else:
        before = instance._audit_publication_state
        changed = NOT_LOADED not in (before, after) and before != after
    if changed:
        record(
            AuditEvent.Kind.PUBLICATION,
            target=f"case #{instance.entry_number}",
            details={"case": instance.pk, "from": before, "to": after},
        )
    instance._audit_publication_state = after


def _consent_values(instance):
    return {name: instance.__dict__.get(name, NOT_LOADED) for name in CONSENT_FIELDS}


def _consent_loaded(sender, instance, **kwargs):
    instance._audit_consent = _consent_values(instance)


def _loggable(name, value):
    if name == "withdrawn_at" and value is not None:
        return True  # withdrawn; the time is the event's own
    return value


def _consent_saved(sender, instance, created, **kwargs):
    now = _consent_values(instance)
    before = instance._audit_consent
    changed = {
        name: {
            "from": None if created else _loggable(name, before[name]),
            "to": _loggable(name, value),
        }
        for name, value in now.items()
        if value is not NOT_LOADED
        and (created or (before[name] is not NOT_LOADED and before[name] != value))
    }
    if changed:
        record(
            AuditEvent.Kind.CONSENT_CHANGE,
            target=f"case:{instance.case_id}",
            details={"case": instance.case_id, "created": created, "changes": changed},
        )
        consent_changed(instance)
    instance._audit_consent = now


def _consent_deleted(sender, instance, **kwargs):
    record(
        AuditEvent.Kind.CONSENT_CHANGE,
        target=f"case:{instance.case_id}",
        details={"case": instance.case_id, "deleted": True},
    )
    # Consent is never deleted through the admin; should a row go another way (a case
    # deleted by site staff), nothing it allowed stays public.
    entry = PublicEntry.objects.filter(case_id=instance.case_id).first()
    if entry is not None:
        take_down(case=entry.case, reason="consent deleted")


def _facility_changed(sender, instance, **kwargs):
    # Facility pages and the names in list rows read the facility itself (shared reference
    # data, not part of any group's reviewed entry): a rename or removal shows at once.
    transaction.on_commit(bump_public_version)


def connect():
    post_init.connect(_case_loaded, sender=Case, dispatch_uid="audit_case_init")
    post_save.connect(_case_saved, sender=Case, dispatch_uid="audit_case_saved")
    post_init.connect(_consent_loaded, sender=Consent, dispatch_uid="audit_consent_init")
    post_save.connect(_consent_saved, sender=Consent, dispatch_uid="audit_consent_saved")
    post_delete.connect(_consent_deleted, sender=Consent, dispatch_uid="audit_consent_deleted")
    post_save.connect(_facility_changed, sender=Facility, dispatch_uid="public_facility_saved")
    post_delete.connect(_facility_changed, sender=Facility, dispatch_uid="public_facility_deleted")
