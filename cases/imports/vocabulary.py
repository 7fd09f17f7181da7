"""The import's vocabularies: for each coded column, the words (`cases.imports.words`) read as
each code of the model, and the meanings a group or a file adds to them (`Meanings`).

Every code's own value and English label are accepted too, so a sheet exported from casetracker
reads back. Words are compared folded (`fold`): case folded, "ё" as "е", punctuation as spaces.
"""

from dataclasses import dataclass, field

from django.db.models import Choices

from cases.imports import words
from cases.imports.words import fold, keyboard_variants
from cases.models.imports import CODES, CodedColumn, is_code_of

__all__ = ["fold"]


class Vocabulary:
    def __init__(self, choices: type[Choices], spellings: dict[str, str]) -> None:
        self.choices = choices
        self.words: dict[str, str] = {}
        explicit: dict[str, str] = {}
        for code, label in choices.choices:
            explicit.setdefault(fold(code), code)
            explicit.setdefault(fold(label), code)
        for code, listed in spellings.items():
            if code not in choices.values:
                raise ValueError(f"{code!r} is not a code of {choices.__name__}")
            for spelling in listed.split("|"):
                word = fold(spelling)
                if not word:
                    continue
                if explicit.get(word, code) != code:
                    raise ValueError(f"{word!r} means both {explicit[word]!r} and {code!r}")
                explicit[word] = code
        # The same words as a Russian keyboard or an accent-less Latin keyboard types them,
        # unless that spelling is another code's word.
        for word, code in explicit.items():
            for variant in keyboard_variants(word):
                self.words.setdefault(variant, code)
        self.words.update(explicit)

    def get(self, text: object) -> str | None:
        """The code for `text`, or None when the word is not known."""
        return self.words.get(fold(text))

    def expected(self) -> str:
        """What to tell a volunteer whose word was not understood."""
        return ", ".join(str(label) for label in self.choices.labels)


VOCABULARIES: dict[str, Vocabulary] = {
    CodedColumn.STATUS: Vocabulary(CODES[CodedColumn.STATUS], words.STATUS),
    CodedColumn.ETHNICITY: Vocabulary(CODES[CodedColumn.ETHNICITY], words.ETHNICITY),
    CodedColumn.RELATIONSHIP: Vocabulary(CODES[CodedColumn.RELATIONSHIP], words.RELATIONSHIP),
    CodedColumn.GENDER: Vocabulary(CODES[CodedColumn.GENDER], words.GENDER),
    CodedColumn.TESTIMONY_MEDIUM: Vocabulary(
        CODES[CodedColumn.TESTIMONY_MEDIUM], words.TESTIMONY_MEDIUM
    ),
    CodedColumn.PREFECTURE: Vocabulary(CODES[CodedColumn.PREFECTURE], words.PREFECTURE),
}
STATUS = VOCABULARIES[CodedColumn.STATUS]
ETHNICITY = VOCABULARIES[CodedColumn.ETHNICITY]
RELATIONSHIP = VOCABULARIES[CodedColumn.RELATIONSHIP]
GENDER = VOCABULARIES[CodedColumn.GENDER]
TESTIMONY_MEDIUM = VOCABULARIES[CodedColumn.TESTIMONY_MEDIUM]
PREFECTURE = VOCABULARIES[CodedColumn.PREFECTURE]


class MeaningError(ValueError):
    """A meaning names a column or a code that does not exist."""


@dataclass
class Meanings:
    """What words the built-in vocabulary does not hold (or reads otherwise) mean for one
    import: `file` as the volunteer answered them for this file, `saved` as the group saved
    them earlier ({column: {folded word: code}}). The file's answer comes first, then the
    group's, then the built-in words."""

    file: dict[str, dict[str, str]] = field(default_factory=dict)
    saved: dict[str, dict[str, str]] = field(default_factory=dict)

    FILE = "file"
    SAVED = "saved"

    def look_up(self, column: str, text: object) -> tuple[str | None, str | None]:
        """(code, where it came from: FILE, SAVED or None for the built-in words)."""
        word = fold(text)
        if word in self.file.get(column, {}):
            return self.file[column][word], self.FILE
        if word in self.saved.get(column, {}):
            return self.saved[column][word], self.SAVED
        return VOCABULARIES[column].words.get(word), None

    def to_params(self) -> dict:
        """Plain data for a session or a job's parameters."""
        return {"file": self.file, "saved": self.saved}

    @classmethod
    def from_params(cls, params: object) -> "Meanings":
        """Meanings from `to_params`; raises MeaningError for anything but known columns, words
        and codes of the column."""
        if params is None:
            return cls()
        if not isinstance(params, dict):
            raise MeaningError("meanings are not a mapping")
        parts = []
        for part in (cls.FILE, cls.SAVED):
            given = params.get(part) or {}
            if not isinstance(given, dict):
                raise MeaningError(f"{part} is not a mapping")
            checked: dict[str, dict[str, str]] = {}
            for column, meanings in given.items():
                if column not in VOCABULARIES or not isinstance(meanings, dict):
                    raise MeaningError(f"{column!r} is not a coded column")
                for word, code in meanings.items():
                    if not isinstance(word, str) or not isinstance(code, str):
                        raise MeaningError("a word or code is not text")
                    if not is_code_of(column, code):
                        raise MeaningError(f"{code!r} is not a code of {column!r}")
                    checked.setdefault(column, {})[fold(word)] = code
            parts.append(checked)
        return cls(file=parts[0], saved=parts[1])
