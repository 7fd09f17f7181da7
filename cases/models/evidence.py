"""What a case rests on: testimonies, sources and the family's consent."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cases import uploads
from cases.models.case import Case
from cases.models.people import Person, PersonName, Relationship


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("visibility", "public")
    RESTRICTED = "restricted", pgettext_lazy("visibility", "restricted (staff of the group)")
    SENSITIVE = "sensitive", pgettext_lazy("visibility", "sensitive (never leaves the group)")


class EvidenceQuerySet(models.QuerySet):
    def public(self):
        """Only what is marked public: a public page or a shareable dossier shows nothing else."""
        return self.filter(visibility=Visibility.PUBLIC)


class Testimony(models.Model):
    class Medium(models.TextChoices):
        VIDEO = "video", pgettext_lazy("testimony medium", "video")
        WRITTEN = "written", pgettext_lazy("testimony medium", "written")
        INTERVIEW = "interview", pgettext_lazy("testimony medium", "interview")
        PHONE = "phone", pgettext_lazy("testimony medium", "phone")

    case = models.ForeignKey(
        Case,
        models.CASCADE,
        related_name="testimonies",
        verbose_name=pgettext_lazy("detention case", "case"),
    )
    testifier = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="testimonies_given",
        verbose_name=_("testifier"),
    )
    relationship = models.CharField(
        _("relationship to the detained person"),
        max_length=20,
        choices=Relationship.Kind.choices,
        blank=True,
    )
    given_on = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=PersonName.Language.choices, blank=True
    )
    medium = models.CharField(_("medium"), max_length=10, choices=Medium.choices)
    link = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(
        _("file"),
        upload_to=uploads.testimony_upload_to,
        validators=[uploads.validate_testimony_file],
        blank=True,
    )
    transcript = models.TextField(_("transcript (private)"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.RESTRICTED
    )
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["case", "given_on", "pk"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")

    def __str__(self):
        return f"{self.get_medium_display()} {self.given_on or ''}".strip()

    def clean(self):
        if self.given_on and self.given_on > timezone.localdate():
            raise ValidationError({"given_on": _("A testimony cannot be dated in the future.")})


class Source(models.Model):
    class Kind(models.TextChoices):
        IDENTITY_DOCUMENT = "identity_document", pgettext_lazy("source kind", "identity document")
        PHOTO = "photo", pgettext_lazy("source kind", "photo")
        OFFICIAL_DOCUMENT = "official_document", pgettext_lazy("source kind", "official document")
        VERDICT = "verdict", pgettext_lazy("source kind", "verdict")
        MEDIA_REPORT = "media_report", pgettext_lazy("source kind", "media report")
        NGO_REPORT = "ngo_report", pgettext_lazy("source kind", "NGO report")
        LEAKED_RECORD = "leaked_record", pgettext_lazy("source kind", "leaked record")
        OTHER = "other", pgettext_lazy("source kind", "other")

    class Reliability(models.IntegerChoices):
        UNKNOWN = 0, pgettext_lazy("source reliability", "not assessed")
        LOW = 1, pgettext_lazy("source reliability", "low")
        MEDIUM = 2, pgettext_lazy("source reliability", "medium")
        HIGH = 3, pgettext_lazy("source reliability", "high")

    case = models.ForeignKey(
        Case,
        models.CASCADE,
        related_name="sources",
        verbose_name=pgettext_lazy("detention case", "case"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    archived_url = models.URLField(_("archived link"), blank=True, max_length=500)
    published_on = models.DateField(_("date of the source"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=uploads.source_upload_to,
        validators=[uploads.validate_document],
        blank=True,
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, editable=False)
    reliability = models.PositiveSmallIntegerField(
        _("reliability"), choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.RESTRICTED
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = pgettext_lazy("evidence source", "source")
        verbose_name_plural = pgettext_lazy("evidence source", "sources")
        indexes = [models.Index(fields=["case", "visibility"], name="source_case_visibility_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.sha256:
            digest = hashlib.sha256()
            for chunk in self.file.chunks():
                digest.update(chunk)
            self.sha256 = digest.hexdigest()
        super().save(*args, **kwargs)


class Consent(models.Model):
    """What the family agreed to. Withdrawal is recorded, and takes the case off the public site
    at once (`Case.objects.public()` reads it)."""

    class IdentityLevel(models.TextChoices):
        FULL = "full", pgettext_lazy("public identity", "full name and photo")
        NAME_ONLY = "name_only", pgettext_lazy("public identity", "name only")
        ANONYMOUS = "anonymous", pgettext_lazy("public identity", "anonymous")

    case = models.OneToOneField(
        Case,
        models.CASCADE,
        related_name="consent",
        verbose_name=pgettext_lazy("detention case", "case"),
    )
    given_by = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_given",
        verbose_name=_("given by"),
    )
    given_on = models.DateField(_("given on"), null=True, blank=True)
    consent_to_document = models.BooleanField(_("consent to document"), default=True)
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    identity_level = models.CharField(
        _("public identity"),
        max_length=10,
        choices=IdentityLevel.choices,
        default=IdentityLevel.ANONYMOUS,
    )
    photo_consent = models.BooleanField(_("consent to show the photo"), default=False)
    un_submission_consent = models.BooleanField(
        _("consent to a submission to UN bodies"), default=False
    )
    giver_may_be_named = models.BooleanField(
        _("the person who gave consent may be named in public"), default=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_notes = models.TextField(_("withdrawal notes (private)"), blank=True)
    notes = models.TextField(_("notes (private)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(fields=["consent_to_publish", "withdrawn_at"], name="consent_publish_idx")
        ]

    def __str__(self):
        return _("consent for %(case)s") % {"case": self.case}

    @property
    def allows_publication(self):
        return self.consent_to_publish and self.withdrawn_at is None

    @property
    def shows_name(self):
        return self.allows_publication and self.identity_level != self.IdentityLevel.ANONYMOUS

    @property
    def shows_photo(self):
        return (
            self.allows_publication
            and self.identity_level == self.IdentityLevel.FULL
            and self.photo_consent
        )

    def clean(self):
        if self.given_on and self.given_on > timezone.localdate():
            raise ValidationError({"given_on": _("Consent cannot be dated in the future.")})
        if self.photo_consent and self.identity_level != self.IdentityLevel.FULL:
            raise ValidationError(
                {"photo_consent": _("A photo can only be shown when the identity level is full.")}
            )
        if self.giver_may_be_named and self.identity_level == self.IdentityLevel.ANONYMOUS:
            raise ValidationError(
                {
                    "giver_may_be_named": _(
                        "An anonymous entry names nobody: the person who gave consent cannot be "
                        "named on it."
                    )
                }
            )
        self._keep_withdrawal_on_record()

    def _keep_withdrawal_on_record(self):
        """A withdrawal stays on record. Consent given again after it is recorded with the new
        date it was given; the case then goes public again only through review."""
        if self.pk is None or self.withdrawn_at is not None:
            return
        withdrawn_at = (
            Consent.objects.filter(pk=self.pk).values_list("withdrawn_at", flat=True).first()
        )
        if withdrawn_at is None:
            return
        if self.given_on is None or self.given_on < withdrawn_at.date():
            raise ValidationError(
                _(
                    "Consent was withdrawn on %(date)s. To record that the family gave consent "
                    "again, enter the date they gave it (on or after the withdrawal)."
                )
                % {"date": withdrawn_at.date().isoformat()}
            )
