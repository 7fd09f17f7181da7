"""PDF documents for staff: the summary report, the case dossier and the UN WGEID submission.

fpdf2 is pure Python. The fonts are shipped in cases/staff/fonts/ with their licences:
- DejaVu Sans covers Latin, Kazakh and Kyrgyz Cyrillic and Uyghur Arabic, shaped and laid out
  right to left through HarfBuzz (installed from PyPI as uharfbuzz);
- Noto Sans SC, cut down to the 3,755 common characters of GB 2312 (level 1), a few dozen more
  that names often use, and the Chinese punctuation (scripts/subset_chinese_font.py), prints
  Chinese text: the official Chinese name as the authorities and a UN body read it.
A Chinese character outside that set (a rare one) is printed with its pinyin reading in
brackets, e.g. "[pinyin: Zhe]", rather than as an empty box.
"""

import functools
import logging
import re
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from cases.choices import choice_label
from cases.models import Case, CaseEvent, Person, Visibility
from cases.names import HAN_CHARACTERS, transliterate
from cases.public.charts import bars
from cases.public.snapshot import anonymous_columns

# fontTools reports every glyph of its font subsetting at INFO: noise in the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CHINESE_FONT = FONT_DIR / "NotoSansSC-Common.ttf"
HAN_CHARACTER = re.compile(f"[{HAN_CHARACTERS}]")
# A run of Chinese characters the Chinese font lacks, read out as one.
_RARE_RUN = "(?:{rare})(?:\\s*(?:{rare}))*"


@functools.cache
def chinese_font_characters() -> frozenset[str]:
    """The characters the shipped Chinese font can print."""
    font = TTFont(CHINESE_FONT, lazy=True)
    try:
        return frozenset(chr(code) for code in font.getBestCmap())
    finally:
        font.close()


def pdf_text(value):
    """Text the shipped fonts can print: Chinese characters as they are (the Chinese font),
    but for a rare one that font lacks, which becomes its pinyin reading in brackets."""
    value = "" if value is None else str(value)
    printable = chinese_font_characters()
    if all(ch in printable for ch in HAN_CHARACTER.findall(value)):
        return value
    rare = "|".join(re.escape(ch) for ch in sorted(set(HAN_CHARACTER.findall(value)) - printable))
    pattern = re.compile(_RARE_RUN.format(rare=rare))
    return pattern.sub(lambda m: f"[pinyin: {transliterate(m.group(0))}]", value)


class StaffDocument(FPDF):
    def __init__(self, *, title, confidential=False):
        super().__init__(format="A4")
        self.document_title = title
        self.confidential = confidential
        self.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        # One weight for Chinese: bold Chinese text prints in the regular weight.
        self.add_font("NotoSansSC", "", CHINESE_FONT)
        self.set_fallback_fonts(["notosanssc"], exact_match=False)
        self.set_text_shaping(True)
        self.set_title(title)
        self.set_creator("casetracker")
        self.set_auto_page_break(True, margin=18)
        self.set_font("DejaVu", size=10)
        self.add_page()

    def header(self):
        self.set_font("DejaVu", "B", 9)
        if self.confidential:
            self.set_text_color(160, 0, 0)
            self.cell(
                0,
                6,
                _("CONFIDENTIAL: holds private fields. Do not share outside the organization."),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, pdf_text(self.document_title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self):
        self.set_y(-14)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        marking = _("CONFIDENTIAL") + " · " if self.confidential else ""
        self.cell(
            0,
            8,
            f"{marking}casetracker · {timezone.localdate():%Y-%m-%d} · "
            + _("page %(page)s") % {"page": self.page_no()},
            align="C",
        )
        self.set_text_color(0, 0, 0)

    def heading(self, text, size=13):
        self.ln(2)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(
            0, size * 0.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        self.set_font("DejaVu", size=10)
        self.ln(1)

    def paragraph(self, text):
        if text:
            self.multi_cell(0, 5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            self.ln(1)

    def fields(self, pairs):
        """Label and value rows; empty values are left out."""
        for label, value in pairs:
            if value in (None, "", []):
                continue
            self.set_font("DejaVu", "B", 10)
            self.cell(62, 5, self.fitted(pdf_text(label), 60))
            self.set_font("DejaVu", size=10)
            self.multi_cell(0, 5, pdf_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")

    def bullets(self, lines):
        for line in lines:
            self.multi_cell(
                0, 5, "• " + pdf_text(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
            )

    def bar_chart(self, rows):
        """The same bars as the web page's SVG chart (cases.public.charts), with the counts."""
        label_width, bar_width, height = 62, 95, 5
        for bar in bars(rows):
            if self.will_page_break(height + 1):
                self.add_page()
            y = self.get_y()
            self.cell(label_width, height, self.fitted(pdf_text(bar.label), label_width - 2))
            self.set_fill_color(11, 79, 138)
            if bar.fraction:
                self.rect(self.get_x(), y + 0.8, bar.fraction * bar_width, height - 1.6, style="F")
            self.set_x(self.l_margin + label_width + bar_width + 2)
            self.cell(0, height, f"{bar.value:,}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_y(y + height + 0.6)

    def fitted(self, text, width):
        """`text` shortened with an ellipsis to fit `width` millimetres."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def bytes(self):
        return bytes(self.output())


def summary_pdf(report, *, filter_description, user):
    document = StaffDocument(title=_("Summary report"))
    document.heading(_("Summary report"), size=16)
    document.fields(
        [
            (_("Cases"), f"{report.total:,}"),
            (_("Filter"), filter_description or _("all cases you may report on")),
            (_("Prepared by"), user.get_full_name() or user.get_username()),
            (_("Date"), f"{timezone.localdate():%Y-%m-%d}"),
        ]
    )
    for section in report.sections:
        document.heading(section.title)
        if not section.rows:
            document.paragraph(_("No cases."))
        document.bar_chart(section.rows)
        if section.note:
            document.paragraph(str(section.note))
    return document.bytes()


# --- Case dossier --------------------------------------------------------------------------------


def anonymous_dossier_pdf(case):
    """The shareable dossier of a case whose consent names nobody: exactly what its anonymous
    public entry shows (cases.public.snapshot), with no name, free text, place or link."""
    columns = anonymous_columns(case)
    document = StaffDocument(
        title=_("Case dossier · entry %(number)s") % {"number": case.entry_number}
    )
    document.heading(_("Case dossier · entry %(number)s") % {"number": case.entry_number}, 16)
    document.paragraph(
        _(
            "An anonymous entry: the family's consent names nobody, so this dossier holds only "
            "what the anonymous public entry shows."
        )
    )
    document.fields(
        [
            (_("Names"), _("withheld (anonymous case)")),
            (_("Gender"), choice_label(Person, "gender", columns["gender"])),
            (_("Birth year"), columns["birth_year"]),
            (_("Ethnicity"), choice_label(Person, "ethnicity", columns["ethnicity"])),
            (_("Prefecture"), choice_label(Person, "hometown_prefecture", columns["prefecture"])),
            (_("Status"), choice_label(Case, "status", columns["status"])),
            (_("Year of detention"), columns["detention_year"]),
            (_("Evidence level"), choice_label(Case, "evidence_level", columns["evidence_level"])),
            (_("Organization"), case.organization.name),
        ]
    )
    return document.bytes()


def dossier_pdf(case, *, include_private):
    """The case (loaded with `with_everything()`), its timeline, testimonies, sources and
    actions. Without `include_private` it
    holds only what may be shared: no private notes, ID numbers, contacts, transcripts, restricted
    or sensitive material, and the name only where the family's consent shows it."""
    person = case.person
    consent = getattr(case, "consent", None)
    if not include_private and (consent is None or not consent.shows_name):
        return anonymous_dossier_pdf(case)
    document = StaffDocument(
        title=_("Case dossier · entry %(number)s") % {"number": case.entry_number},
        confidential=include_private,
    )
    document.heading(_("Case dossier · entry %(number)s") % {"number": case.entry_number}, 16)
    if not include_private:
        document.paragraph(
            _(
                "This dossier holds no private fields: notes, identity numbers, contacts, "
                "transcripts and restricted material are left out."
            )
        )
    shows_name = include_private or (consent is not None and consent.shows_name)
    names = [f"{n.value} ({n.get_script_display()})" for n in person.names.all()]
    document.heading(_("The detained person"))
    document.fields(
        [
            (_("Names"), "; ".join(names) if shows_name else _("withheld (anonymous case)")),
            (_("Gender"), person.get_gender_display()),
            (_("Born"), person.birth_date_display if shows_name else person.birth_year),
            (_("Ethnicity"), person.get_ethnicity_display()),
            (_("Citizenship"), ", ".join(c.country.name for c in person.citizenships.all())),
            (
                _("Hometown"),
                ", ".join(
                    p
                    for p in (
                        person.hometown_village if include_private else "",
                        person.hometown_township if include_private else "",
                        person.hometown_county,
                        person.get_hometown_prefecture_display(),
                    )
                    if p
                ),
            ),
            (_("Occupation"), person.occupation),
        ]
    )
    if include_private:
        document.fields(
            [
                (_("PRC ID number"), person.prc_id_number),
                (_("Passport numbers"), person.passport_numbers),
                (_("Contact details"), person.contact_details),
                (_("Notes on the person"), person.notes),
            ]
        )
    document.heading(_("The case"))
    document.fields(
        [
            (_("Status"), case.get_status_display()),
            (_("Status confirmed"), case.status_confirmed_on),
            (_("Evidence level"), case.get_evidence_level_display()),
            (_("Organization"), case.organization.name),
            (_("Summary"), case.summary),
        ]
    )
    if include_private:
        document.fields(
            [
                (_("Publication state"), case.get_publication_state_display()),
                (_("Priority"), case.get_priority_display()),
                (_("Notes"), case.notes),
            ]
        )
        if consent is not None:
            document.fields(
                [
                    (_("Consent to publish"), _("yes") if consent.allows_publication else _("no")),
                    (_("Public identity"), consent.get_identity_level_display()),
                    (
                        _("Consent to a UN submission"),
                        _("yes") if consent.un_submission_consent else _("no"),
                    ),
                    (_("Consent given by"), consent.given_by and consent.given_by.display_name),
                ]
            )

    document.heading(_("Timeline"))
    events = list(case.events.all())
    if not events:
        document.paragraph(_("No events recorded."))
    for event in events:
        line = f"{event.date_display or _('date unknown')}: {event.get_kind_display()}"
        if event.facility:
            line += f", {event.facility.name}"
        if event.place:
            line += f", {event.place}"
        if event.sentence_months:
            line += ", " + _("sentence of %(months)s months") % {"months": event.sentence_months}
        if event.official_reason:
            line += ". " + _("Official reason: %(reason)s") % {"reason": event.official_reason}
        reasons = ", ".join(
            str(CaseEvent.Reason(r).label)
            for r in event.suspected_reasons or []
            if r in CaseEvent.Reason.values
        )
        if reasons:
            line += ". " + _("Suspected reasons: %(reasons)s") % {"reasons": reasons}
        document.bullets([line])
        document.paragraph(event.description)
        if include_private:
            document.paragraph(event.notes)

    shared = {Visibility.PUBLIC}
    testimonies = [t for t in case.testimonies.all() if include_private or t.visibility in shared]
    document.heading(_("Testimonies"))
    if not testimonies:
        document.paragraph(_("None in this dossier."))
    for testimony in testimonies:
        who = testimony.get_relationship_display() or _("testifier")
        if include_private and testimony.testifier:
            who = f"{testimony.testifier.display_name} ({who})"
        line = f"{testimony.given_on or _('undated')}: {testimony.get_medium_display()}, {who}"
        if testimony.language:
            line += f", {testimony.get_language_display()}"
        if include_private:
            line += f" [{testimony.get_visibility_display()}]"
        document.bullets([line])
        if testimony.link:
            document.paragraph(testimony.link)
        if include_private:
            document.paragraph(testimony.transcript)

    sources = [s for s in case.sources.all() if include_private or s.visibility in shared]
    document.heading(_("Sources"))
    if not sources:
        document.paragraph(_("None in this dossier."))
    for source in sources:
        reliability = f"{_('reliability')}: {source.get_reliability_display()}"
        line = f"{source.title} ({source.get_kind_display()}; {reliability})"
        if source.published_on:
            line += f", {source.published_on:%Y-%m-%d}"
        if include_private and source.visibility != Visibility.PUBLIC:
            line += f" [{source.get_visibility_display()}]"
        document.bullets([line])
        document.paragraph(" ".join(v for v in (source.url, source.archived_url) if v))
        document.paragraph(source.description)
        if include_private and source.sha256:
            document.paragraph(f"SHA-256 {source.sha256}")

    actions = [a for a in case.advocacy_actions.all() if include_private or a.is_public]
    document.heading(_("Actions"))
    if not actions:
        document.paragraph(_("None in this dossier."))
    for action in sorted(actions, key=lambda a: a.date):
        line = f"{action.date:%Y-%m-%d}: {action.get_kind_display()}, {action.title}"
        line += f" ({action.organization.name})"
        if action.addressee:
            line += f", {_('to')} {action.addressee}"
        if action.reference_number:
            line += f", {_('reference')} {action.reference_number}"
        line += f"; {_('outcome')}: {action.get_outcome_display()}"
        document.bullets([line])
        document.paragraph(action.description)
        if include_private:
            document.paragraph(action.outcome_notes)
    return document.bytes()


# --- UN submission -------------------------------------------------------------------------------


def un_submission_pdf(submission):
    case = submission.case
    document = StaffDocument(
        title=_("Submission to the UN Working Group on Enforced or Involuntary Disappearances"),
        confidential=True,
    )
    document.heading(
        _("Submission to the UN Working Group on Enforced or Involuntary Disappearances"), 15
    )
    document.fields(
        [
            (_("Case"), _("entry %(number)s") % {"number": case.entry_number}),
            (_("Prepared on"), f"{timezone.localdate():%Y-%m-%d}"),
        ]
    )
    if submission.urgent:
        document.set_text_color(160, 0, 0)
        document.paragraph(_("URGENT PROCEDURE: the disappearance is less than three months old."))
        document.set_text_color(0, 0, 0)
    if not submission.ready:
        document.set_text_color(160, 0, 0)
        document.paragraph(
            _("DRAFT, NOT READY TO SEND. Missing: %(missing)s.")
            % {"missing": ", ".join(str(e.label) for e in submission.missing)}
        )
        document.set_text_color(0, 0, 0)
    for warning in submission.warnings:
        document.paragraph(warning)
    for element in submission.elements:
        document.heading(element.label, size=11)
        if element.missing:
            document.paragraph(_("MISSING") if element.required else _("not recorded"))
        else:
            document.bullets(element.lines)
    document.heading(_("Consent"), size=11)
    document.paragraph(_("The family has consented to this submission to UN bodies."))
    return document.bytes()
