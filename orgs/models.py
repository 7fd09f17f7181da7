"""Countries, advocacy groups, their members and roles, and what the groups do for cases.

This app never imports `cases`: where a model here points at a case, it names it as a string.
"""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from casetracker.dates import DatePrecision, validate_partial_date


class User(AbstractUser):
    """The site's user model, custom from the first migration so that it can grow later.

    `is_staff` keeps Django's meaning (may sign in to the admin), which every volunteer needs.
    Site staff, who work across all organizations, are marked by `is_site_staff`.
    """

    is_site_staff = models.BooleanField(
        _("site staff"),
        default=False,
        help_text=_("Sees and reviews the cases of every organization, and reports over all data."),
    )
    # Set by `seed_demo --demo-users` only: such an account has a published password and
    # published recovery codes, and `check --deploy` refuses a production site that holds one.
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        editable=False,
        help_text=_("Made by seed_demo with a known password; never on a real site."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def sees_all_organizations(self):
        return self.is_active and (self.is_superuser or self.is_site_staff)

    def organizations_with_role(self, *roles):
        """The organizations in which this user holds one of `roles` (any role if none given).

        Site staff are not members everywhere: check `sees_all_organizations` first."""
        memberships = Membership.objects.filter(user=self)
        if roles:
            memberships = memberships.filter(role__in=roles)
        return Organization.objects.filter(pk__in=memberships.values("organization"))


class Country(models.Model):
    code = models.CharField(
        _("ISO 3166 code"),
        max_length=2,
        unique=True,
        help_text=_("Two-letter ISO 3166-1 code, such as KZ."),
    )
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    name_local = models.CharField(_("name in its own language"), max_length=100, blank=True)
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Public notes, such as the country's programme for returnees."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        super().save(*args, **kwargs)


class Organization(models.Model):
    class Kind(models.TextChoices):
        GRASSROOTS = "grassroots", pgettext_lazy("organization kind", "grassroots volunteer group")
        NGO = "ngo", pgettext_lazy("organization kind", "registered NGO")
        RESEARCH = "research", pgettext_lazy("organization kind", "research project")
        MEDIA = "media", pgettext_lazy("organization kind", "media organization")
        LEGAL = "legal", pgettext_lazy("organization kind", "legal aid")
        OTHER = "other", pgettext_lazy("organization kind", "other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = models.ForeignKey(
        Country, models.PROTECT, related_name="organizations", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    description = models.TextField(_("public description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Private: never on a public page.
    contact_notes = models.TextField(_("contact notes (private)"), blank=True)
    risk_notes = models.TextField(_("risk notes (private)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", pgettext_lazy("membership role", "volunteer")
        REVIEWER = "reviewer", pgettext_lazy("membership role", "reviewer")
        COORDINATOR = "coordinator", pgettext_lazy("membership role", "coordinator")

    user = models.ForeignKey(
        User, models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VOLUNTEER)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    # Role changes are security events: keep who gave which role, and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_role_per_organization"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} ({self.get_role_display()})"


class AdvocacyAction(models.Model):
    class Kind(models.TextChoices):
        LETTER_MINISTRY = (
            "letter_ministry",
            pgettext_lazy("advocacy action kind", "letter to a ministry"),
        )
        LETTER_CONSULATE = (
            "letter_consulate",
            pgettext_lazy("advocacy action kind", "letter to a consulate or embassy"),
        )
        PRESS_CONFERENCE = (
            "press_conference",
            pgettext_lazy("advocacy action kind", "press conference"),
        )
        MEDIA = "media", pgettext_lazy("advocacy action kind", "media work")
        PETITION = "petition", pgettext_lazy("advocacy action kind", "petition")
        UN_SUBMISSION = (
            "un_submission",
            pgettext_lazy("advocacy action kind", "submission to a UN body"),
        )
        PARLIAMENT = "parliament", pgettext_lazy("advocacy action kind", "appeal to a parliament")
        OTHER = "other", pgettext_lazy("advocacy action kind", "other")

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("advocacy outcome", "no answer yet")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("advocacy outcome", "acknowledged")
        ANSWERED = "answered", pgettext_lazy("advocacy outcome", "answered")
        RELEASE = "release", pgettext_lazy("advocacy outcome", "followed by a release")
        NO_EFFECT = "no_effect", pgettext_lazy("advocacy outcome", "no visible effect")

    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="actions",
        verbose_name=_("organization"),
    )
    cases = models.ManyToManyField(
        "cases.Case",
        related_name="advocacy_actions",
        blank=True,
        verbose_name=pgettext_lazy("detention case", "cases"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    addressee = models.CharField(
        _("addressed to"),
        max_length=200,
        blank=True,
        help_text=_("Ministry, consulate, UN body, newspaper …"),
    )
    reference_number = models.CharField(
        _("reference number"),
        max_length=100,
        blank=True,
        help_text=_("Such as the UN body's case reference."),
    )
    description = models.TextField(_("public description"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_notes = models.TextField(_("outcome notes (private)"), blank=True)
    is_public = models.BooleanField(
        _("shown on public pages"),
        default=False,
        help_text=_("Only actions the group has made public appear on the public site."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("advocacy action")
        verbose_name_plural = _("advocacy actions")
        indexes = [models.Index(fields=["organization", "-date"], name="action_org_date_idx")]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def clean(self):
        validate_partial_date(self.date, self.date_precision, "date")


class AuditEvent(models.Model):
    """One security-relevant event: who did what, when, from where. Append-only: written by
    `orgs.audit.record()`, read by site staff in the admin, never edited.

    `details` holds identifiers and labels only, never a private field's value or a search term.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", pgettext_lazy("audit event kind", "login")
        LOGIN_FAILED = "login_failed", pgettext_lazy("audit event kind", "failed login")
        LOCKOUT = "lockout", pgettext_lazy("audit event kind", "lockout")
        LOGOUT = "logout", pgettext_lazy("audit event kind", "logout")
        SECOND_FACTOR_ENROLLED = (
            "otp_enrolled",
            pgettext_lazy("audit event kind", "two-factor device enrolled"),
        )
        ENROLMENT_PAGE = (
            "otp_enrol_page",
            pgettext_lazy("audit event kind", "two-factor enrolment page opened"),
        )
        ENROLMENT_CODE = (
            "enrolment_code",
            pgettext_lazy("audit event kind", "enrolment code issued"),
        )
        SECOND_FACTOR_FAILED = (
            "otp_failed",
            pgettext_lazy("audit event kind", "wrong two-factor code"),
        )
        SECOND_FACTOR_RESET = (
            "otp_reset",
            pgettext_lazy("audit event kind", "two-factor devices reset"),
        )
        RECOVERY_CODES = "recovery_codes", pgettext_lazy("audit event kind", "new recovery codes")
        CODE_REFUSED = "code_refused", pgettext_lazy("audit event kind", "one-time code refused")
        PASSWORD_RESET = (
            "password_reset",
            pgettext_lazy("audit event kind", "password reset issued"),
        )
        PASSWORD_CHANGED = "password_changed", pgettext_lazy("audit event kind", "password changed")
        LOGIN_SLOWED = "login_slowed", pgettext_lazy("audit event kind", "sign-in slowed down")
        UNLOCKED = (
            "unlocked",
            pgettext_lazy("audit event kind", "lockout lifted with the second factor"),
        )
        EXPORT = "export", pgettext_lazy("audit event kind", "export")
        PUBLICATION = "publication", pgettext_lazy("audit event kind", "publication state changed")
        CONSENT_CHANGE = "consent_change", pgettext_lazy("audit event kind", "consent changed")
        ROLE_CHANGE = "role_change", pgettext_lazy("audit event kind", "role changed")
        SUBMISSION_HANDLED = "submission", pgettext_lazy("audit event kind", "submission handled")
        DUPLICATE_LOOKUP = (
            "duplicate_lookup",
            pgettext_lazy("audit event kind", "duplicate check among other groups' entries"),
        )

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text too: the name typed at a failed login, and a user who was deleted later.
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    target = models.CharField(_("about"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["kind", "-at"], name="auditevent_kind_at_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are never changed once written.")
        super().save(*args, **kwargs)


class AccountCode(models.Model):
    """A one-time code for one member, handed over out of band by whoever issued it (their
    coordinator, site staff, or `manage.py enrolment_code` for the first superuser).

    An enrolment code lets a member who has no second factor set one up: without it, a password
    alone would be enough to enrol the phone of whoever holds the password. A password code lets
    a member choose a new password that nobody else has seen. Only a hash of the code is kept,
    and a member holds at most one code of each kind: issuing another replaces it.
    """

    class Purpose(models.TextChoices):
        ENROLMENT = "enrolment", pgettext_lazy("account code purpose", "two-factor enrolment")
        PASSWORD = "password", pgettext_lazy("account code purpose", "new password")

    user = models.ForeignKey(
        User, models.CASCADE, related_name="account_codes", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(_("hash of the code"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("one-time account code")
        verbose_name_plural = _("one-time account codes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"], name="accountcode_one_per_user_and_purpose"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.user} ({self.expires_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def hash(code):
        """The stored form of a code. The codes are 80 random bits, beyond any guessing, so a
        plain SHA-256 keeps a database dump from revealing them."""
        return hashlib.sha256(code.encode("ascii")).hexdigest()
