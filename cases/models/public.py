"""The public record: what a reviewer published, and what the public site reads, nothing else.

A `PublicEntry` is built once, at publication, from the working record through the allowlist
(`cases.public.allowlist`) and the family's consent (`cases.public.snapshot`). Volunteers keep
editing the working record; the entry changes only when a reviewer publishes a new revision, and
it is deleted the moment consent or the case is withdrawn. Every publication and take-down also
leaves a `PublicationRecord`, so that staff can see what the site showed on a given day.

The entry stores codes, never translated labels, so that pages render in the visitor's language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case
from cases.models.evidence import Consent, Source
from cases.models.people import Ethnicity, Person, Prefecture
from cases.querysets import PublicEntryQuerySet
from cases.uploads import random_upload_name


def public_file_upload_to(instance: "PublicFile", filename: str) -> str:
    # Random names: the name of a public file says nothing about whom it shows.
    return random_upload_name("public", filename)


class PublicEntry(models.Model):
    """One published case as the public sees it."""

    case = models.OneToOneField(
        Case, models.CASCADE, related_name="public_entry", verbose_name=_("case")
    )
    entry_number = models.PositiveBigIntegerField(_("entry number"), unique=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    first_published_at = models.DateTimeField(_("first published"))
    published_at = models.DateTimeField(_("this revision published"), db_index=True)
    identity_level = models.CharField(
        _("public identity"), max_length=10, choices=Consent.IdentityLevel.choices
    )
    # The columns every public filter and sort reads, so that the list needs no join.
    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        related_name="public_entries",
        verbose_name=_("organization"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Case.Status.choices)
    evidence_level = models.PositiveSmallIntegerField(
        _("evidence level"), choices=Case.EvidenceLevel.choices
    )
    detention_year = models.PositiveSmallIntegerField(_("year of detention"), null=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Person.Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=10, choices=Ethnicity.choices, blank=True
    )
    prefecture = models.CharField(
        _("prefecture"), max_length=20, choices=Prefecture.choices, blank=True
    )
    # The name a list row shows, empty for an anonymous entry.
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    display_name_script = models.CharField(_("script"), max_length=4, blank=True)
    display_name_language = models.CharField(_("language of the name"), max_length=5, blank=True)
    # Every spelling key of every name the consent lets through, for search; empty when
    # anonymous, so that no search can tell who an anonymous entry is.
    search_document = models.TextField(_("search document"), blank=True)
    # The page's content: names, timeline, sources, testimonies, relatives and actions as far
    # as the consent lets them through, as codes (see cases.public.snapshot).
    content = models.JSONField(_("content"), default=dict)

    objects = PublicEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("public entry")
        verbose_name_plural = _("public entries")
        ordering = ["-entry_number"]
        indexes = [
            models.Index(fields=["status", "-entry_number"], name="public_entry_status_idx"),
            models.Index(fields=["ethnicity", "-entry_number"], name="public_entry_ethnicity_idx"),
            models.Index(fields=["prefecture"], name="public_entry_prefecture_idx"),
            models.Index(fields=["detention_year"], name="public_entry_year_idx"),
            models.Index(fields=["evidence_level"], name="public_entry_evidence_idx"),
            models.Index(fields=["gender"], name="public_entry_gender_idx"),
            models.Index(fields=["organization", "-entry_number"], name="public_entry_org_idx"),
        ]

    def __str__(self):
        return _("public entry %(number)s, revision %(revision)s") % {
            "number": self.entry_number,
            "revision": self.revision,
        }

    @property
    def is_anonymous(self) -> bool:
        return self.identity_level == Consent.IdentityLevel.ANONYMOUS


class PublicNameKey(models.Model):
    """One search key of a name a named entry shows: other groups' duplicate checks match it
    exactly, on an index. Anonymous entries have none."""

    entry = models.ForeignKey(
        PublicEntry, models.CASCADE, related_name="name_keys", verbose_name=_("entry")
    )
    key = models.CharField(_("search key"), max_length=200, db_index=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("public name key")
        verbose_name_plural = _("public name keys")

    def __str__(self):
        return self.key


class PublicEntryCountry(models.Model):
    """A country an entry is tied to publicly: the person's citizenship, or where relatives live.

    A row per country keeps the citizenship and relatives filters on an index instead of a
    search through text. Anonymous entries have none: a filter must not reveal them either.
    """

    class Relation(models.TextChoices):
        CITIZEN = "citizen", _("citizen of")
        RELATIVES = "relatives", _("relatives live in")

    entry = models.ForeignKey(
        PublicEntry, models.CASCADE, related_name="countries", verbose_name=_("entry")
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    country_code = models.CharField(_("country"), max_length=2)

    class Meta:
        verbose_name = _("public entry country")
        verbose_name_plural = _("public entry countries")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "relation", "country_code"], name="public_entry_country_unique"
            )
        ]
        indexes = [
            models.Index(fields=["relation", "country_code"], name="public_entry_country_idx")
        ]

    def __str__(self):
        return f"{self.get_relation_display()} {self.country_code}"


class PublicFile(models.Model):
    """A file the public may download: a derivative made at publication, without metadata.

    The upload it was made from stays staff-side, unchanged."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        SOURCE = "source", _("source document")

    entry = models.ForeignKey(
        PublicEntry, models.CASCADE, related_name="files", verbose_name=_("entry")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.ForeignKey(
        Source,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_files",
        verbose_name=_("source"),
    )
    file = models.FileField(_("file"), upload_to=public_file_upload_to)
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        verbose_name = _("public file")
        verbose_name_plural = _("public files")

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"


class PublicAction(models.Model):
    """A public advocacy action as the public sees it: present only while every case it names
    has a public entry that names the person (cases.services.publication keeps it so)."""

    action = models.OneToOneField(
        "orgs.AdvocacyAction",
        models.CASCADE,
        related_name="public_action",
        verbose_name=_("advocacy action"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        models.CASCADE,
        related_name="public_actions",
        verbose_name=_("organization"),
    )
    entries = models.ManyToManyField(
        PublicEntry, related_name="public_actions", verbose_name=_("entries")
    )
    date = models.DateField(_("date"))
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("public advocacy action")
        verbose_name_plural = _("public advocacy actions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return str(self.content.get("title", self.pk))


class PublicationRecord(models.Model):
    """Each publication and take-down, with the snapshot the site showed (or stopped showing)."""

    class Action(models.TextChoices):
        PUBLISHED = "published", _("published")
        TAKEN_DOWN = "taken_down", _("taken down")

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="publication_records", verbose_name=_("case")
    )
    entry_number = models.PositiveBigIntegerField(_("entry number"))
    revision = models.PositiveIntegerField(_("revision"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("when"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The entry's columns and content as they were: what the public saw from `at` on (for a
    # publication) or until `at` (for a take-down).
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("publication record")
        verbose_name_plural = _("publication records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "-at"], name="publication_record_case_idx")]

    def __str__(self):
        return f"#{self.entry_number} r{self.revision} {self.get_action_display()}"
