"""A case (one detained person) and its timeline of events."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cases.models.people import Citizenship, Facility, Person, Relationship, Residence
from cases.querysets import CaseQuerySet
from casetracker.dates import DatePrecision, format_partial_date, validate_partial_date


class EntryNumberCounter(models.Model):
    """The last public entry number handed out. Numbers only go up, so a number stays with its
    case for good and is never given to another one, even after a case is removed."""

    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("entry number counter")

    def __str__(self):
        return str(self.last_value)

    @classmethod
    def take(cls, count=1):
        """Reserve `count` consecutive numbers and return the first."""
        with transaction.atomic():
            counter, _created = cls.objects.select_for_update().get_or_create(pk=1)
            # A number written by hand (a merge, a restore) must not be handed out again.
            highest = Case.objects.aggregate(top=models.Max("entry_number"))["top"] or 0
            first = max(counter.last_value, highest) + 1
            counter.last_value = first + count - 1
            counter.save(update_fields=["last_value"])
        return first


class ContentLanguage(models.TextChoices):
    """The languages a case's public text can be written in: the site's languages."""

    KAZAKH = "kk", pgettext_lazy("language", "Kazakh")
    RUSSIAN = "ru", pgettext_lazy("language", "Russian")
    KYRGYZ = "ky", pgettext_lazy("language", "Kyrgyz")
    UYGHUR = "ug", pgettext_lazy("language", "Uyghur")
    CHINESE = "zh-hans", pgettext_lazy("language", "Chinese")
    ENGLISH = "en", pgettext_lazy("language", "English")


class Case(models.Model):
    class Status(models.TextChoices):
        CAMP = "camp", pgettext_lazy("case status", "detained in a camp")
        PRE_TRIAL = "pre_trial", pgettext_lazy("case status", "detained pre-trial")
        IMPRISONED = "imprisoned", pgettext_lazy("case status", "imprisoned after sentence")
        UNKNOWN_FACILITY = (
            "unknown_facility",
            pgettext_lazy("case status", "detained in an unknown facility"),
        )
        DISAPPEARED = "disappeared", pgettext_lazy("case status", "disappeared")
        FORCED_LABOUR = "forced_labour", pgettext_lazy("case status", "forced labour")
        RESTRICTED = "restricted", pgettext_lazy("case status", "restricted movement")
        RELEASED_CHINA = "released_china", pgettext_lazy("case status", "released, in China")
        RELEASED_ABROAD = "released_abroad", pgettext_lazy("case status", "released and abroad")
        DIED_IN_CUSTODY = "died_in_custody", pgettext_lazy("case status", "died in custody")
        DIED = "died", pgettext_lazy("case status", "died")
        UNKNOWN = "unknown", pgettext_lazy("case status", "unknown")

    class EvidenceLevel(models.IntegerChoices):
        UNREVIEWED = 0, pgettext_lazy("evidence level", "0 · unreviewed")
        ONE_TESTIFIER = (
            1,
            pgettext_lazy("evidence level", "1 · reported by one identified testifier"),
        )
        DOCUMENTS = (
            2,
            pgettext_lazy(
                "evidence level", "2 · supported by identity documents, photos or recorded video"
            ),
        )
        CORROBORATED = 3, pgettext_lazy("evidence level", "3 · corroborated by independent sources")
        OFFICIAL = (
            4,
            pgettext_lazy("evidence level", "4 · documented by an official or primary document"),
        )

    class PublicationState(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("publication state", "draft")
        IN_REVIEW = "in_review", pgettext_lazy("publication state", "in review")
        PUBLISHED = "published", pgettext_lazy("publication state", "published")
        WITHDRAWN = "withdrawn", pgettext_lazy("publication state", "withdrawn")

    class Priority(models.IntegerChoices):
        LOW = 1, pgettext_lazy("case priority", "low")
        NORMAL = 2, pgettext_lazy("case priority", "normal")
        HIGH = 3, pgettext_lazy("case priority", "high")
        URGENT = 4, pgettext_lazy("case priority", "urgent")

    entry_number = models.PositiveBigIntegerField(
        _("entry number"),
        editable=False,
        help_text=_("The case's public number: stable, and never given to another case."),
    )
    person = models.OneToOneField(
        Person, models.PROTECT, related_name="case", verbose_name=_("detained person")
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        related_name="cases",
        verbose_name=_("holding organization"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNKNOWN
    )
    status_confirmed_on = models.DateField(_("status last confirmed"), null=True, blank=True)
    evidence_level = models.PositiveSmallIntegerField(
        _("evidence level"), choices=EvidenceLevel.choices, default=EvidenceLevel.UNREVIEWED
    )
    publication_state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    # Where the family that reports the case lives, known from the first conversation, before
    # (or without) a record of each relative. Private: not in cases.public.allowlist; the public
    # "relatives live in" filter reads the relatives' published residences instead.
    relatives_countries = models.ManyToManyField(
        "orgs.Country",
        blank=True,
        related_name="cases_with_relatives_there",
        verbose_name=_("relatives live in"),
        help_text=_(
            "The countries where the family members who report the case live; several are "
            "allowed. Staff-side only: not shown on the public site."
        ),
    )
    summary = models.TextField(_("public summary"), blank=True)
    content_language = models.CharField(
        _("written in"),
        max_length=7,
        choices=ContentLanguage.choices,
        blank=True,
        help_text=_(
            "The language of the public summary and of the events' public descriptions. "
            "Add versions in other languages under “Translations”."
        ),
    )
    notes = models.TextField(_("notes (private)"), blank=True)
    # Derived from the first "detained" event; stored so that the public list filters and sorts
    # by year of detention on an index instead of joining the timeline for 100,000 cases.
    detention_year = models.PositiveSmallIntegerField(
        _("year of detention"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Raised by every save through the admin and every workflow step, so that a form loaded
    # before someone else's save is refused instead of overwriting it (cases.admin).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[relatives_countries])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-entry_number"]
        verbose_name = pgettext_lazy("detention case", "case")
        verbose_name_plural = pgettext_lazy("detention case", "cases")
        constraints = [
            models.UniqueConstraint(fields=["entry_number"], name="case_entry_number_unique"),
            models.CheckConstraint(
                condition=Q(evidence_level__gte=0, evidence_level__lte=4),
                name="case_evidence_level_0_to_4",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="case_status_idx"),
            models.Index(fields=["evidence_level"], name="case_evidence_idx"),
            models.Index(fields=["publication_state", "-entry_number"], name="case_pub_entry_idx"),
            models.Index(fields=["organization", "publication_state"], name="case_org_pub_idx"),
            models.Index(fields=["detention_year"], name="case_detention_year_idx"),
            models.Index(fields=["-updated_at"], name="case_updated_idx"),
            models.Index(fields=["-published_at"], name="case_published_idx"),
            models.Index(fields=["priority"], name="case_priority_idx"),
        ]

    def __str__(self):
        return f"#{self.entry_number}"

    def save(self, *args, **kwargs):
        if self.entry_number is None:
            self.entry_number = EntryNumberCounter.take()
        super().save(*args, **kwargs)

    @staticmethod
    def detention_year_expression(case_key: str = "pk") -> Subquery:
        """What `detention_year` holds, for the case whose key is the outer row's `case_key`
        ("id" in the history table): the year of its earliest dated "detained" event. The one
        statement of that rule, read by the functions that keep the column current:
        `refresh_detention_year()` for one case, `Case.objects.refresh_detention_years()` for
        many at once."""
        first = (
            CaseEvent.objects.filter(
                case=OuterRef(case_key), kind=CaseEvent.Kind.DETAINED, date_start__isnull=False
            )
            .order_by("date_start")
            .values("date_start__year")[:1]
        )
        return Subquery(first)

    def refresh_detention_year(self) -> None:
        """Keep `detention_year` current after this case's timeline changed (an event saved
        or deleted, events moved by a merge)."""
        year = (
            type(self)
            .objects.filter(pk=self.pk)
            .values_list(self.detention_year_expression(), flat=True)
            .first()
        )
        if year != self.detention_year:
            self.detention_year = year
            type(self).objects.filter(pk=self.pk).update(detention_year=year)

    def countries_of_relatives(self):
        """Where the detained person's recorded relatives live now, or, for a relative with no
        current residence on record, the countries they are citizens of: what "relatives live
        in" starts from while it is empty."""
        if self.person_id is None:
            return []
        relatives = Relationship.objects.filter(person_id=self.person_id).values("relative")
        # One query for both kinds of tie, each row marked with its kind.
        lives = Residence.objects.filter(person__in=relatives, until__isnull=True).values_list(
            "person", "country", Value(True, output_field=models.BooleanField())
        )
        citizen = Citizenship.objects.filter(person__in=relatives).values_list(
            "person", "country", Value(False, output_field=models.BooleanField())
        )
        lives_in, citizen_of = {}, {}
        for person_id, country_id, is_residence in lives.union(citizen, all=True):
            ties = lives_in if is_residence else citizen_of
            ties.setdefault(person_id, set()).add(country_id)
        countries = set()
        for person_id in lives_in.keys() | citizen_of.keys():
            countries |= lives_in.get(person_id) or citizen_of[person_id]
        return sorted(countries)

    @property
    def is_public(self):
        """Whether the public sees this case: it has a public entry, which a reviewer published
        and a withdrawal deletes at once."""
        return hasattr(self, "public_entry")


class CaseEvent(models.Model):
    class Kind(models.TextChoices):
        DETAINED = "detained", pgettext_lazy("event kind", "detained")
        TRANSFERRED = "transferred", pgettext_lazy("event kind", "transferred")
        SENTENCED = "sentenced", pgettext_lazy("event kind", "sentenced")
        RELEASED = "released", pgettext_lazy("event kind", "released")
        EXIT_BAN = "exit_ban", pgettext_lazy("event kind", "exit ban")
        CONTACT_LOST = "contact_lost", pgettext_lazy("event kind", "contact lost")
        CONTACT_RESUMED = "contact_resumed", pgettext_lazy("event kind", "contact resumed")
        DIED = "died", pgettext_lazy("event kind", "died")
        OTHER = "other", pgettext_lazy("event kind", "other")

    class Reason(models.TextChoices):
        RELIGION = "religion", pgettext_lazy("suspected reason", "religious practice")
        TRAVEL_ABROAD = "travel_abroad", pgettext_lazy("suspected reason", "travel abroad")
        RELATIVES_ABROAD = "relatives_abroad", pgettext_lazy("suspected reason", "relatives abroad")
        FOREIGN_CITIZENSHIP = (
            "foreign_citizenship",
            pgettext_lazy("suspected reason", "foreign citizenship or residence"),
        )
        PHONE_APPS = (
            "phone_apps",
            pgettext_lazy("suspected reason", "phone apps (WhatsApp and others)"),
        )
        EDUCATION_ABROAD = "education_abroad", pgettext_lazy("suspected reason", "study abroad")
        POLITICAL = "political", pgettext_lazy("suspected reason", "political views or speech")
        CULTURE = "culture", pgettext_lazy("suspected reason", "language or culture")
        UNKNOWN = "unknown", pgettext_lazy("suspected reason", "unknown")
        OTHER = "other", pgettext_lazy("suspected reason", "other")

    case = models.ForeignKey(
        Case,
        models.CASCADE,
        related_name="events",
        verbose_name=pgettext_lazy("detention case", "case"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    date_start = models.DateField(_("date"), null=True, blank=True)
    date_start_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    date_end = models.DateField(_("until"), null=True, blank=True)
    date_end_precision = models.CharField(
        _("end date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    facility = models.ForeignKey(
        Facility,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("facility"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    official_reason = models.CharField(_("official reason or charge"), max_length=300, blank=True)
    suspected_reasons = models.JSONField(
        _("suspected reasons"),
        default=list,
        blank=True,
        help_text=_("Codes from the list of reasons."),
    )
    sentence_months = models.PositiveIntegerField(_("sentence (months)"), null=True, blank=True)
    description = models.TextField(_("public description"), blank=True)
    notes = models.TextField(_("notes (private)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "date_start", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["kind", "date_start"], name="event_kind_date_idx"),
            # A case's first detention (Case.detention_year_expression) in one index lookup.
            # Without it, databases read the kind index above in date order for every case.
            models.Index(fields=["case", "kind", "date_start"], name="event_case_kind_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__isnull=True)
                | Q(date_start__isnull=True)
                | Q(date_end__gte=F("date_start")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date_display}".strip()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.case.refresh_detention_year()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.case.refresh_detention_year()
        return result

    @property
    def date_display(self):
        return format_partial_date(self.date_start, self.date_start_precision)

    def clean(self):
        errors = {}
        for field in ("date_start", "date_end"):
            try:
                validate_partial_date(
                    getattr(self, field), getattr(self, f"{field}_precision"), field
                )
            except ValidationError as error:
                errors.update(error.message_dict)
        if self.date_start and self.date_end and self.date_end < self.date_start:
            errors.setdefault("date_end", []).append(_("An event cannot end before it starts."))
        unknown = set(self.suspected_reasons or []) - set(self.Reason.values)
        if not isinstance(self.suspected_reasons, list) or unknown:
            errors.setdefault("suspected_reasons", []).append(
                _("Unknown reason codes: %(codes)s.")
                % {"codes": ", ".join(sorted(map(str, unknown)))}
            )
        if self.date_start and self.date_start > timezone.localdate():
            errors.setdefault("date_start", []).append(_("An event cannot be in the future."))
        if errors:
            raise ValidationError(errors)


class CaseTranslation(models.Model):
    """The case's public summary, or one event's public description, in another language than
    the one it was written in (Case.content_language). Public only as reviewed at publication,
    like the text it translates (cases.public.snapshot)."""

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="translations", verbose_name=_("case")
    )
    event = models.ForeignKey(
        CaseEvent,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translates"),
        help_text=_("Empty: the public summary; otherwise the event's public description."),
    )
    language = models.CharField(_("language"), max_length=7, choices=ContentLanguage.choices)
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["case", "event", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "language"],
                condition=Q(event__isnull=True),
                name="casetranslation_one_summary_per_language",
                violation_error_message=_(
                    "The summary already has a translation in this language."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "language"],
                name="casetranslation_one_description_per_language",
                violation_error_message=_("This event already has a translation in this language."),
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_language_display()}"

    def clean(self):
        if (
            self.event_id is not None
            and self.case_id is not None
            and self.event.case_id != self.case_id
        ):
            raise ValidationError({"event": _("This event belongs to another case.")})
