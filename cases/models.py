"""People, their names, families and relationships; cases with their timeline, evidence and consent.

Private fields (contacts, ID numbers, notes, transcripts) are plain fields here; what the public
may see is decided by the allowlist in `cases.public`, never by these models.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases import uploads
from cases.querysets import CaseQuerySet
from cases.search import search_key
from casetracker.dates import DatePrecision, format_partial_date, validate_partial_date


class Ethnicity(models.TextChoices):
    UYGHUR = "uyghur", _("Uyghur")
    KAZAKH = "kazakh", _("Kazakh")
    KYRGYZ = "kyrgyz", _("Kyrgyz")
    HUI = "hui", _("Hui")
    UZBEK = "uzbek", _("Uzbek")
    TAJIK = "tajik", _("Tajik")
    TATAR = "tatar", _("Tatar")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class Prefecture(models.TextChoices):
    """Xinjiang's prefecture-level divisions, as the public list filters them."""

    URUMQI = "urumqi", _("Ürümqi")
    KARAMAY = "karamay", _("Karamay")
    TURPAN = "turpan", _("Turpan")
    HAMI = "hami", _("Hami (Kumul)")
    CHANGJI = "changji", _("Changji")
    BORTALA = "bortala", _("Bortala")
    BAYINGOLIN = "bayingolin", _("Bayingolin")
    AKSU = "aksu", _("Aksu")
    KIZILSU = "kizilsu", _("Kizilsu")
    KASHGAR = "kashgar", _("Kashgar")
    HOTAN = "hotan", _("Hotan")
    ILI = "ili", _("Ili")
    TACHENG = "tacheng", _("Tacheng (Chöchek)")
    ALTAY = "altay", _("Altay")
    XPCC = "xpcc", _("XPCC city (Bingtuan)")
    OUTSIDE = "outside", _("outside Xinjiang")


class Facility(models.Model):
    class Kind(models.TextChoices):
        CAMP = "camp", _("internment camp")
        DETENTION_CENTRE = "detention_centre", _("detention centre")
        PRISON = "prison", _("prison")
        POLICE_STATION = "police_station", _("police station")
        FORCED_LABOUR = "forced_labour", _("forced-labour site")
        UNKNOWN = "unknown", _("unknown")

    name = models.CharField(_("name"), max_length=250)
    name_zh = models.CharField(_("name in Chinese"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNKNOWN)
    prefecture = models.CharField(
        _("prefecture"), max_length=20, choices=Prefecture.choices, blank=True
    )
    county = models.CharField(_("county"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    notes = models.TextField(_("notes (private)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="facility_coordinates_both_or_neither",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))


class Family(models.Model):
    """A household or kin group, often split across borders."""

    label = models.CharField(
        _("label"), max_length=200, help_text=_("An internal name, such as the family name.")
    )
    notes = models.TextField(_("notes (private)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]
        verbose_name = _("family")
        verbose_name_plural = _("families")

    def __str__(self):
        return self.label


class Person(models.Model):
    """Anyone in the records: a detained person, a relative, a testifier."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        UNKNOWN = "unknown", _("unknown")

    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("birth date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=10, choices=Ethnicity.choices, default=Ethnicity.UNKNOWN
    )
    hometown_prefecture = models.CharField(
        _("hometown prefecture"), max_length=20, choices=Prefecture.choices, blank=True
    )
    hometown_county = models.CharField(_("hometown county"), max_length=100, blank=True)
    hometown_township = models.CharField(_("hometown township"), max_length=100, blank=True)
    hometown_village = models.CharField(_("hometown village"), max_length=100, blank=True)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to=uploads.photo_upload_to,
        validators=[uploads.validate_photo],
        blank=True,
    )
    family = models.ForeignKey(
        Family,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("family"),
    )
    # Private: never leave the staff side.
    prc_id_number = models.CharField(_("PRC ID number (private)"), max_length=18, blank=True)
    passport_numbers = models.CharField(_("passport numbers (private)"), max_length=200, blank=True)
    contact_details = models.TextField(_("contact details (private)"), blank=True)
    notes = models.TextField(_("notes (private)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["ethnicity"], name="person_ethnicity_idx"),
            models.Index(fields=["gender"], name="person_gender_idx"),
            models.Index(fields=["hometown_prefecture"], name="person_prefecture_idx"),
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
        ]

    def __str__(self):
        return self.display_name or _("person #%(pk)s") % {"pk": self.pk}

    @property
    def display_name(self):
        """The primary name, preferring Latin script; uses prefetched names when there are."""
        names = list(self.names.all())
        if not names:
            return ""
        names.sort(key=lambda n: (n.kind != PersonName.Kind.PRIMARY, n.script != "latn", n.pk))
        return names[0].value

    @property
    def birth_year(self):
        return self.birth_date.year if self.birth_date else None

    @property
    def birth_date_display(self):
        return format_partial_date(self.birth_date, self.birth_date_precision)

    def clean(self):
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": _("A birth date cannot be in the future.")})
        validate_partial_date(self.birth_date, self.birth_date_precision, "birth_date")


class PersonName(models.Model):
    class Script(models.TextChoices):
        CYRILLIC = "cyrl", _("Cyrillic")
        LATIN = "latn", _("Latin")
        HAN = "hani", _("Chinese (Han)")
        UYGHUR_ARABIC = "arab", _("Uyghur Arabic")

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("primary")
        ALIAS = "alias", _("alias or other spelling")
        OFFICIAL_CHINESE = "official_zh", _("official Chinese name")
        PASSPORT = "passport", _("as in a passport")

    class Language(models.TextChoices):
        KAZAKH = "kk", _("Kazakh")
        KYRGYZ = "ky", _("Kyrgyz")
        UYGHUR = "ug", _("Uyghur")
        RUSSIAN = "ru", _("Russian")
        CHINESE = "zh", _("Chinese")
        ENGLISH = "en", _("English")
        UZBEK = "uz", _("Uzbek")
        TURKISH = "tr", _("Turkish")
        OTHER = "other", _("other")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="names", verbose_name=_("person")
    )
    value = models.CharField(_("name"), max_length=200)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.OTHER
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PRIMARY)
    # The folded Latin form of `value` (cases.search.search_key); what name search matches on.
    search_key = models.CharField(_("search key"), max_length=300, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "kind", "script"]
        verbose_name = _("name")
        verbose_name_plural = _("names")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "script"],
                condition=Q(kind="primary"),
                name="personname_one_primary_per_script",
                violation_error_message=_("This person already has a primary name in this script."),
            ),
        ]

    def __str__(self):
        return self.value

    def save(self, *args, **kwargs):
        self.value = self.value.strip()
        self.search_key = search_key(self.value)
        if kwargs.get("update_fields") is not None and "value" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def clean(self):
        if not self.value.strip():
            raise ValidationError({"value": _("A name cannot be empty.")})


class Citizenship(models.Model):
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="citizenships", verbose_name=_("person")
    )
    country = models.ForeignKey(
        "orgs.Country", models.PROTECT, related_name="citizens", verbose_name=_("country")
    )
    acquired_on = models.DateField(_("acquired"), null=True, blank=True)
    lost_on = models.DateField(_("lost or renounced"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citizenship")
        verbose_name_plural = _("citizenships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "country"], name="citizenship_once_per_country"
            ),
        ]

    def __str__(self):
        return f"{self.country}"

    def clean(self):
        if self.acquired_on and self.lost_on and self.lost_on < self.acquired_on:
            raise ValidationError(
                {"lost_on": _("Citizenship cannot be lost before it is acquired.")}
            )


class Residence(models.Model):
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="residences", verbose_name=_("person")
    )
    country = models.ForeignKey(
        "orgs.Country", models.PROTECT, related_name="residents", verbose_name=_("country")
    )
    place = models.CharField(_("city or region"), max_length=200, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        indexes = [models.Index(fields=["country", "until"], name="residence_country_idx")]

    def __str__(self):
        return f"{self.country} {self.place}".strip()

    def clean(self):
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("A residence cannot end before it starts.")})


class Relationship(models.Model):
    """`relative` is the `kind` of `person`: (person=A, relative=B, kind=daughter) reads
    "B is A's daughter"."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("parent")
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        CHILD = "child", _("child")
        DAUGHTER = "daughter", _("daughter")
        SON = "son", _("son")
        SPOUSE = "spouse", _("spouse")
        WIFE = "wife", _("wife")
        HUSBAND = "husband", _("husband")
        SIBLING = "sibling", _("sibling")
        SISTER = "sister", _("sister")
        BROTHER = "brother", _("brother")
        GRANDPARENT = "grandparent", _("grandparent")
        GRANDCHILD = "grandchild", _("grandchild")
        OTHER = "other", _("other relative")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="relationships", verbose_name=_("person")
    )
    relative = models.ForeignKey(
        Person, models.CASCADE, related_name="relationships_as_relative", verbose_name=_("relative")
    )
    kind = models.CharField(_("relationship"), max_length=20, choices=Kind.choices)
    notes = models.CharField(_("notes (private)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=F("relative")), name="relationship_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="relationship_unique"
            ),
        ]

    def __str__(self):
        return f"{self.relative} — {self.get_kind_display()} — {self.person}"

    def clean(self):
        if self.person_id and self.person_id == self.relative_id:
            raise ValidationError({"relative": _("A person cannot be their own relative.")})


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


class Case(models.Model):
    class Status(models.TextChoices):
        CAMP = "camp", _("detained in a camp")
        PRE_TRIAL = "pre_trial", _("detained pre-trial")
        IMPRISONED = "imprisoned", _("imprisoned after sentence")
        UNKNOWN_FACILITY = "unknown_facility", _("detained in an unknown facility")
        DISAPPEARED = "disappeared", _("disappeared")
        FORCED_LABOUR = "forced_labour", _("forced labour")
        RESTRICTED = "restricted", _("restricted movement")
        RELEASED_CHINA = "released_china", _("released, in China")
        RELEASED_ABROAD = "released_abroad", _("released and abroad")
        DIED_IN_CUSTODY = "died_in_custody", _("died in custody")
        DIED = "died", _("died")
        UNKNOWN = "unknown", _("unknown")

    class EvidenceLevel(models.IntegerChoices):
        UNREVIEWED = 0, _("0 · unreviewed")
        ONE_TESTIFIER = 1, _("1 · reported by one identified testifier")
        DOCUMENTS = 2, _("2 · supported by identity documents, photos or recorded video")
        CORROBORATED = 3, _("3 · corroborated by independent sources")
        OFFICIAL = 4, _("4 · documented by an official or primary document")

    class PublicationState(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Priority(models.IntegerChoices):
        LOW = 1, _("low")
        NORMAL = 2, _("normal")
        HIGH = 3, _("high")
        URGENT = 4, _("urgent")

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
    summary = models.TextField(_("public summary"), blank=True)
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
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-entry_number"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
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

    def refresh_detention_year(self):
        first = (
            self.events.filter(kind=CaseEvent.Kind.DETAINED, date_start__isnull=False)
            .order_by("date_start")
            .values_list("date_start", flat=True)
            .first()
        )
        year = first.year if first else None
        if year != self.detention_year:
            self.detention_year = year
            type(self).objects.filter(pk=self.pk).update(detention_year=year)

    @property
    def is_public(self):
        consent = getattr(self, "consent", None)
        return (
            self.publication_state == self.PublicationState.PUBLISHED
            and consent is not None
            and consent.allows_publication
        )


class CaseEvent(models.Model):
    class Kind(models.TextChoices):
        DETAINED = "detained", _("detained")
        TRANSFERRED = "transferred", _("transferred")
        SENTENCED = "sentenced", _("sentenced")
        RELEASED = "released", _("released")
        EXIT_BAN = "exit_ban", _("exit ban")
        CONTACT_LOST = "contact_lost", _("contact lost")
        CONTACT_RESUMED = "contact_resumed", _("contact resumed")
        DIED = "died", _("died")
        OTHER = "other", _("other")

    class Reason(models.TextChoices):
        RELIGION = "religion", _("religious practice")
        TRAVEL_ABROAD = "travel_abroad", _("travel abroad")
        RELATIVES_ABROAD = "relatives_abroad", _("relatives abroad")
        FOREIGN_CITIZENSHIP = "foreign_citizenship", _("foreign citizenship or residence")
        PHONE_APPS = "phone_apps", _("phone apps (WhatsApp and others)")
        EDUCATION_ABROAD = "education_abroad", _("study abroad")
        POLITICAL = "political", _("political views or speech")
        CULTURE = "culture", _("language or culture")
        UNKNOWN = "unknown", _("unknown")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, models.CASCADE, related_name="events", verbose_name=_("case"))
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


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    RESTRICTED = "restricted", _("restricted (staff of the group)")
    SENSITIVE = "sensitive", _("sensitive (never leaves the group)")


class Testimony(models.Model):
    class Medium(models.TextChoices):
        VIDEO = "video", _("video")
        WRITTEN = "written", _("written")
        INTERVIEW = "interview", _("interview")
        PHONE = "phone", _("phone")

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="testimonies", verbose_name=_("case")
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
        IDENTITY_DOCUMENT = "identity_document", _("identity document")
        PHOTO = "photo", _("photo")
        OFFICIAL_DOCUMENT = "official_document", _("official document")
        VERDICT = "verdict", _("verdict")
        MEDIA_REPORT = "media_report", _("media report")
        NGO_REPORT = "ngo_report", _("NGO report")
        LEAKED_RECORD = "leaked_record", _("leaked record")
        OTHER = "other", _("other")

    class Reliability(models.IntegerChoices):
        UNKNOWN = 0, _("not assessed")
        LOW = 1, _("low")
        MEDIUM = 2, _("medium")
        HIGH = 3, _("high")

    case = models.ForeignKey(Case, models.CASCADE, related_name="sources", verbose_name=_("case"))
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

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
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
        FULL = "full", _("full name and photo")
        NAME_ONLY = "name_only", _("name only")
        ANONYMOUS = "anonymous", _("anonymous")

    case = models.OneToOneField(
        Case, models.CASCADE, related_name="consent", verbose_name=_("case")
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


class Submission(models.Model):
    """What a relative sends through the public form. It lands in the staff queue, never on the
    public site; the submitter's contact stays private."""

    class State(models.TextChoices):
        NEW = "new", _("new")
        CONVERTED = "converted", _("turned into a case")
        MERGED = "merged", _("merged into a case")
        REJECTED = "rejected", _("rejected")

    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    submitter_name = models.CharField(_("submitter's name"), max_length=200)
    submitter_relationship = models.CharField(
        _("relationship to the detained person"),
        max_length=20,
        choices=Relationship.Kind.choices,
        blank=True,
    )
    submitter_contact = models.TextField(_("how to reach the submitter safely (private)"))
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
        verbose_name=_("case"),
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


# --- Staff exports (issue 5) ---------------------------------------------------------------------


class ExportLog(models.Model):
    """One row per export or report a staff member produced: who, when, which format, which
    filter, how many rows. Written only by `cases.exports.record_export`, never edited."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("XLSX")
        PDF = "pdf", _("PDF")
        HTML = "html", _("web page")

    class Report(models.TextChoices):
        CASE_LIST = "case_list", _("case list")
        SUMMARY = "summary", _("summary report")
        DOSSIER = "dossier", _("case dossier")
        UN_SUBMISSION = "un_submission", _("UN WGEID submission")

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
        verbose_name=_("case"),
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
