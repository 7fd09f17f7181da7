"""People, their names, citizenships, residences, families and relationships; facilities.

Private fields are plain fields here (contacts and ID numbers encrypted at rest); what the public
may see is decided by the allowlist in `cases.public.allowlist`, never by these models.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cases import names, uploads
from cases.names import search_key
from cases.querysets import FamilyQuerySet, PersonQuerySet
from casetracker.dates import DatePrecision, format_partial_date, validate_partial_date
from casetracker.encryption import EncryptedCharField, EncryptedTextField


class Ethnicity(models.TextChoices):
    UYGHUR = "uyghur", pgettext_lazy("ethnicity", "Uyghur")
    KAZAKH = "kazakh", pgettext_lazy("ethnicity", "Kazakh")
    KYRGYZ = "kyrgyz", pgettext_lazy("ethnicity", "Kyrgyz")
    HUI = "hui", pgettext_lazy("ethnicity", "Hui")
    UZBEK = "uzbek", pgettext_lazy("ethnicity", "Uzbek")
    TAJIK = "tajik", pgettext_lazy("ethnicity", "Tajik")
    TATAR = "tatar", pgettext_lazy("ethnicity", "Tatar")
    OTHER = "other", pgettext_lazy("ethnicity", "other")
    UNKNOWN = "unknown", pgettext_lazy("ethnicity", "unknown")


class Prefecture(models.TextChoices):
    """Xinjiang's prefecture-level divisions, as the public list filters them."""

    URUMQI = "urumqi", pgettext_lazy("prefecture", "Ürümqi")
    KARAMAY = "karamay", pgettext_lazy("prefecture", "Karamay")
    TURPAN = "turpan", pgettext_lazy("prefecture", "Turpan")
    HAMI = "hami", pgettext_lazy("prefecture", "Hami (Kumul)")
    CHANGJI = "changji", pgettext_lazy("prefecture", "Changji")
    BORTALA = "bortala", pgettext_lazy("prefecture", "Bortala")
    BAYINGOLIN = "bayingolin", pgettext_lazy("prefecture", "Bayingolin")
    AKSU = "aksu", pgettext_lazy("prefecture", "Aksu")
    KIZILSU = "kizilsu", pgettext_lazy("prefecture", "Kizilsu")
    KASHGAR = "kashgar", pgettext_lazy("prefecture", "Kashgar")
    HOTAN = "hotan", pgettext_lazy("prefecture", "Hotan")
    ILI = "ili", pgettext_lazy("prefecture", "Ili")
    TACHENG = "tacheng", pgettext_lazy("prefecture", "Tacheng (Chöchek)")
    ALTAY = "altay", pgettext_lazy("prefecture", "Altay")
    XPCC = "xpcc", pgettext_lazy("prefecture", "XPCC city (Bingtuan)")
    OUTSIDE = "outside", pgettext_lazy("prefecture", "outside Xinjiang")


class Facility(models.Model):
    class Kind(models.TextChoices):
        CAMP = "camp", pgettext_lazy("facility kind", "internment camp")
        DETENTION_CENTRE = "detention_centre", pgettext_lazy("facility kind", "detention centre")
        PRISON = "prison", pgettext_lazy("facility kind", "prison")
        POLICE_STATION = "police_station", pgettext_lazy("facility kind", "police station")
        FORCED_LABOUR = "forced_labour", pgettext_lazy("facility kind", "forced-labour site")
        UNKNOWN = "unknown", pgettext_lazy("facility kind", "unknown")

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
    # Shared by every group, and shown on their published pages: every change is on record.
    # Private notes are each group's own (FacilityNote).
    history = HistoricalRecords()

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


class FacilityNote(models.Model):
    """What one group knows about a facility, for that group's members only."""

    facility = models.ForeignKey(
        Facility, models.CASCADE, related_name="private_notes", verbose_name=_("facility")
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="facility_notes",
        verbose_name=_("organization"),
        help_text=_("Only this group's members see the note; empty: only site staff."),
    )
    text = models.TextField(_("note (private)"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["facility", "created_at", "pk"]
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")

    def __str__(self):
        return _("note of %(organization)s") % {
            "organization": self.organization or _("site staff")
        }


def holding_organization_field(related_name):
    """The group that holds a person's or family's record: its members see it (cases.querysets).
    Empty for rows from before groups held people that no case ties to a group: site staff
    only."""
    return models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("holding organization"),
        help_text=_("The group whose members see this record."),
    )


class Family(models.Model):
    """A household or kin group, often split across borders."""

    label = models.CharField(
        _("label"), max_length=200, help_text=_("An internal name, such as the family name.")
    )
    organization = holding_organization_field("families")
    notes = models.TextField(_("notes (private)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        # A member's family list reads the index in order and stops after a page, instead of
        # checking who may see every family before sorting them.
        indexes = [models.Index(fields=["label"], name="family_label_idx")]

    def __str__(self):
        return self.label


class Person(models.Model):
    """Anyone in the records: a detained person, a relative, a testifier."""

    class Gender(models.TextChoices):
        FEMALE = "female", pgettext_lazy("gender", "female")
        MALE = "male", pgettext_lazy("gender", "male")
        UNKNOWN = "unknown", pgettext_lazy("gender", "unknown")

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
    organization = holding_organization_field("people")
    # Private: never leave the staff side, and encrypted in the database.
    prc_id_number = EncryptedCharField(_("PRC ID number (private)"), max_length=18, blank=True)
    passport_numbers = EncryptedCharField(
        _("passport numbers (private)"), max_length=200, blank=True
    )
    contact_details = EncryptedTextField(_("contact details (private)"), blank=True)
    notes = models.TextField(_("notes (private)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

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
        # The codes come from cases.names, whose detect_script() answers with them.
        CYRILLIC = names.CYRILLIC, pgettext_lazy("script", "Cyrillic")
        LATIN = names.LATIN, pgettext_lazy("script", "Latin")
        HAN = names.HAN, pgettext_lazy("script", "Chinese (Han)")
        UYGHUR_ARABIC = names.UYGHUR_ARABIC, pgettext_lazy("script", "Uyghur Arabic")

    class Kind(models.TextChoices):
        PRIMARY = "primary", pgettext_lazy("name kind", "primary")
        ALIAS = "alias", pgettext_lazy("name kind", "alias or other spelling")
        OFFICIAL_CHINESE = "official_zh", pgettext_lazy("name kind", "official Chinese name")
        PASSPORT = "passport", pgettext_lazy("name kind", "as in a passport")

    class Language(models.TextChoices):
        KAZAKH = "kk", pgettext_lazy("language", "Kazakh")
        KYRGYZ = "ky", pgettext_lazy("language", "Kyrgyz")
        UYGHUR = "ug", pgettext_lazy("language", "Uyghur")
        RUSSIAN = "ru", pgettext_lazy("language", "Russian")
        CHINESE = "zh", pgettext_lazy("language", "Chinese")
        ENGLISH = "en", pgettext_lazy("language", "English")
        UZBEK = "uz", pgettext_lazy("language", "Uzbek")
        TURKISH = "tr", pgettext_lazy("language", "Turkish")
        OTHER = "other", pgettext_lazy("language", "other")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="names", verbose_name=_("person")
    )
    value = models.CharField(_("name"), max_length=200)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.OTHER
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PRIMARY)
    # The folded Latin form of `value` (cases.names.search_key); what name search matches on.
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
        PARENT = "parent", pgettext_lazy("relative kind", "parent")
        MOTHER = "mother", pgettext_lazy("relative kind", "mother")
        FATHER = "father", pgettext_lazy("relative kind", "father")
        CHILD = "child", pgettext_lazy("relative kind", "child")
        DAUGHTER = "daughter", pgettext_lazy("relative kind", "daughter")
        SON = "son", pgettext_lazy("relative kind", "son")
        SPOUSE = "spouse", pgettext_lazy("relative kind", "spouse")
        WIFE = "wife", pgettext_lazy("relative kind", "wife")
        HUSBAND = "husband", pgettext_lazy("relative kind", "husband")
        SIBLING = "sibling", pgettext_lazy("relative kind", "sibling")
        SISTER = "sister", pgettext_lazy("relative kind", "sister")
        BROTHER = "brother", pgettext_lazy("relative kind", "brother")
        GRANDPARENT = "grandparent", pgettext_lazy("relative kind", "grandparent")
        GRANDCHILD = "grandchild", pgettext_lazy("relative kind", "grandchild")
        OTHER = "other", pgettext_lazy("relative kind", "other relative")

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
