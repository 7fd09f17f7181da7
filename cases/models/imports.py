"""What a group's words mean in its spreadsheet imports (cases.imports)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Choices
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cases.imports.words import fold
from cases.models.case import Case
from cases.models.evidence import Testimony
from cases.models.people import Ethnicity, Person, Prefecture, Relationship


class CodedColumn(models.TextChoices):
    """The coded values an import reads: each is answered with a code of its own list."""

    STATUS = "status", pgettext_lazy("import column", "Status")
    RELATIONSHIP = "relationship", pgettext_lazy("import column", "Relationship")
    ETHNICITY = "ethnicity", pgettext_lazy("import column", "Ethnicity")
    GENDER = "gender", pgettext_lazy("import column", "Gender")
    TESTIMONY_MEDIUM = "testimony_medium", pgettext_lazy("import column", "Testimony medium")
    PREFECTURE = "prefecture", pgettext_lazy("import column", "Hometown prefecture")


# The codes each coded column takes.
CODES: dict[str, type[Choices]] = {
    CodedColumn.STATUS: Case.Status,
    CodedColumn.RELATIONSHIP: Relationship.Kind,
    CodedColumn.ETHNICITY: Ethnicity,
    CodedColumn.GENDER: Person.Gender,
    CodedColumn.TESTIMONY_MEDIUM: Testimony.Medium,
    CodedColumn.PREFECTURE: Prefecture,
}


def is_code_of(column: str, code: str) -> bool:
    """Whether `code` is one of the codes of the coded column `column`."""
    choices = CODES.get(column)
    return choices is not None and code in choices.values


class ImportWordMapping(models.Model):
    """A group's meaning for a word of its case lists: "оқуда" in the status column is
    "detained in a camp". Applied to that group's imports only, before the built-in words."""

    organization = models.ForeignKey(
        "orgs.Organization",
        models.CASCADE,
        related_name="import_word_mappings",
        verbose_name=_("organization"),
    )
    column = models.CharField(
        pgettext_lazy("import", "column"), max_length=20, choices=CodedColumn.choices
    )
    word = models.CharField(
        pgettext_lazy("import", "word"),
        max_length=200,
        help_text=_("As written in the sheet; compared without case and punctuation."),
    )
    code = models.CharField(pgettext_lazy("import word", "meaning"), max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    updated_at = models.DateTimeField(pgettext_lazy("import word", "saved on"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "column", "word"]
        verbose_name = _("import word meaning")
        verbose_name_plural = _("import word meanings")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "column", "word"], name="import_word_mapping_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_column_display()}: {self.word} → {self.meaning_label}"

    def save(self, *args, **kwargs):
        self.word = fold(self.word)
        super().save(*args, **kwargs)

    @property
    def meaning_label(self) -> str:
        choices = CODES.get(self.column)
        labels = dict(choices.choices) if choices else {}
        return str(labels.get(self.code, self.code))

    def clean(self):
        self.word = fold(self.word)
        if not self.word:
            raise ValidationError({"word": _("Enter the word as the sheet writes it.")})
        if self.column and not is_code_of(self.column, self.code):
            raise ValidationError(
                _("“%(code)s” is not a meaning of the column “%(column)s”.")
                % {"code": self.code, "column": self.get_column_display()}
            )

    @classmethod
    def meanings_of(cls, organization) -> dict[str, dict[str, str]]:
        """{column: {folded word: code}} of a group's saved meanings, in one query."""
        meanings: dict[str, dict[str, str]] = {}
        rows = cls.objects.filter(organization=organization).values_list("column", "word", "code")
        for column, word, code in rows:
            if is_code_of(column, code):
                meanings.setdefault(column, {})[word] = code
        return meanings

    @classmethod
    def remember(
        cls, organization, meanings: dict[str, dict[str, str]], *, user, may_change: bool
    ) -> None:
        """Save a file's meanings ({column: {word: code}}) for the group's next imports. A
        meaning the group saved before is changed only by those who may change saved meanings
        (`may_change`: its coordinators); for others only new words are saved."""
        for column, chosen in meanings.items():
            for word, code in chosen.items():
                if not is_code_of(column, code):
                    raise ValidationError(_("This is not a meaning of the column."))
                save = cls.objects.update_or_create if may_change else cls.objects.get_or_create
                save(
                    organization=organization,
                    column=column,
                    word=fold(word),
                    defaults={"code": code, "created_by": user},
                )
