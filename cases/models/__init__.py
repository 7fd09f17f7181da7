"""The data model: people, cases, evidence and consent, submissions and the export log.

Private fields are plain fields here; what the public may see is decided by the allowlist in
`cases.public.allowlist`, never by these models.
"""

from cases.models.case import (
    Case,
    CaseEvent,
    CaseTranslation,
    ContentLanguage,
    EntryNumberCounter,
)
from cases.models.evidence import (
    Consent,
    Source,
    Testimony,
    Visibility,
)
from cases.models.imports import (
    CodedColumn,
    ImportWordMapping,
)
from cases.models.people import (
    Citizenship,
    Ethnicity,
    Facility,
    FacilityNote,
    Family,
    Person,
    PersonName,
    Prefecture,
    Relationship,
    Residence,
)
from cases.models.public import (
    PublicAction,
    PublicationRecord,
    PublicEntry,
    PublicEntryCountry,
    PublicEntryFacility,
    PublicFile,
    PublicNameKey,
)
from cases.models.records import (
    ExportLog,
    Submission,
)

__all__ = [
    "Case",
    "CaseEvent",
    "CaseTranslation",
    "Citizenship",
    "CodedColumn",
    "Consent",
    "ContentLanguage",
    "EntryNumberCounter",
    "Ethnicity",
    "ExportLog",
    "Facility",
    "FacilityNote",
    "Family",
    "ImportWordMapping",
    "Person",
    "PersonName",
    "Prefecture",
    "PublicAction",
    "PublicEntry",
    "PublicEntryCountry",
    "PublicEntryFacility",
    "PublicFile",
    "PublicNameKey",
    "PublicationRecord",
    "Relationship",
    "Residence",
    "Source",
    "Submission",
    "Testimony",
    "Visibility",
]
