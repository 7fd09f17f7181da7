"""What comes in from the public form (submissions) and what goes out (the export log)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models.case import Case
from cases.models.people import Relationship
from cases.querysets import SubmissionQuerySet
from casetracker.encryption import EncryptedTextField


class Submission(models.Model):
    """What a relative sends through the public form. It lands in the staff queue, never on the
    public site; the submitter's contact stays private."""

    class State(models.TextChoices):
        NEW = "new", pgettext_lazy("submission state", "new")
        CONVERTED = "converted", pgettext_lazy("submission state", "turned into a case")
        MERGED = "merged", pgettext_lazy("submission state", "merged into a case")
        REJECTED = "rejected", pgettext_lazy("submission state", "rejected")

    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    submitter_name = models.CharField(_("submitter's name"), max_length=200)
    submitter_relationship = models.CharField(
        _("relationship to the detained person"),
        max_length=20,
        choices=Relationship.Kind.choices,
        blank=True,
    )
    # Encrypted in the database, like the contacts of people (casetracker.encryption).
    submitter_contact = EncryptedTextField(_("how to reach the submitter safely (private)"))
    detained_names = models.TextField(_("names of the detained person"))
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    dates = models.TextField(_("dates"), blank=True)
    places = models.TextField(_("places"), blank=True)
    account = models.TextField(_("what happened"))
    consent_to_document = models.BooleanField(_("consent to document"), default=False)
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.NEW, db_index=True
    )
    case = models.ForeignKey(
        Case,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=pgettext_lazy("detention case", "case"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    staff_notes = models.TextField(_("staff notes (private)"), blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return _("submission of %(date)s") % {"date": f"{self.received_at:%Y-%m-%d}"}

    def clean(self):
        if self.birth_year and not 1900 <= self.birth_year <= timezone.localdate().year:
            raise ValidationError({"birth_year": _("Give a birth year between 1900 and now.")})
        if self.state in (self.State.CONVERTED, self.State.MERGED) and not self.case_id:
            raise ValidationError({"case": _("Name the case this submission became part of.")})


class ExportLog(models.Model):
    """One row per export or report a staff member produced: who, when, which format, which
    filter, how many rows. Written only by `cases.staff.exports.record_export`, never edited."""

    class Format(models.TextChoices):
        CSV = "csv", pgettext_lazy("export format", "CSV")
        XLSX = "xlsx", pgettext_lazy("export format", "XLSX")
        PDF = "pdf", pgettext_lazy("export format", "PDF")
        HTML = "html", pgettext_lazy("export format", "web page")

    class Report(models.TextChoices):
        CASE_LIST = "case_list", pgettext_lazy("export report", "case list")
        SUMMARY = "summary", pgettext_lazy("export report", "summary report")
        DOSSIER = "dossier", pgettext_lazy("export report", "case dossier")
        UN_SUBMISSION = "un_submission", pgettext_lazy("export report", "UN WGEID submission")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="exports",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    report = models.CharField(_("report"), max_length=20, choices=Report.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    filter_query = models.TextField(_("filter"), blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    case = models.ForeignKey(
        Case,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="export_logs",
        verbose_name=pgettext_lazy("detention case", "case"),
    )
    includes_private = models.BooleanField(_("holds private fields"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        indexes = [models.Index(fields=["user", "-created_at"], name="exportlog_user_idx")]

    def __str__(self):
        kind = f"{self.get_report_display()} · {self.get_format_display()}"
        return f"{kind} · {self.created_at:%Y-%m-%d %H:%M}"
