"""Write a sample of every staff export format from invented demo data (docs/samples/).

The demo cases are created inside a transaction that is rolled back: the database is left as it
was. Every name, number and place detail below is invented.

    DEBUG=true .venv/bin/python manage.py export_samples --output docs/samples
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import (
    Case,
    CaseEvent,
    Citizenship,
    Consent,
    Facility,
    Person,
    PersonName,
    Relationship,
    Source,
    Testimony,
)
from cases.public.charts import bar_chart_svg
from cases.staff import exports, pdf, reports
from cases.staff.un_submission import build_submission
from orgs.models import AdvocacyAction, Country, Organization, User

DEMO_PEOPLE = [
    # latin, cyrillic, han, uyghur arabic, gender, ethnicity, prefecture, status, year
    ("Demova Aizhan", "Демова Айжан", "", "", "female", "kazakh", "ili", "camp", 2018),
    ("Sampleuly Nurbek", "Сэмплұлы Нұрбек", "", "", "male", "kazakh", "altay", "imprisoned", 2017),
    ("Exampleov Tursun", "", "", "ئېگزامپلوۋ تۇرسۇن", "male", "uyghur", "kashgar", "disappeared", 2019),  # noqa: E501
    ("Testbek Kalys", "Тестбек Калыс", "", "", "male", "kyrgyz", "kizilsu", "pre_trial", 2018),
    ("Fictiva Gulmira", "Фиктива Гүлмира", "费克蒂娃", "", "female", "kazakh", "tacheng", "released_abroad", 2018),  # noqa: E501
    ("=Injected Name", "", "", "", "unknown", "other", "urumqi", "unknown", None),
]  # fmt: skip


class Command(BaseCommand):
    help = "Write sample CSV, XLSX, SVG and PDF exports from invented data (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="docs/samples")

    def handle(self, *args, output, **options):
        self.output = Path(output)
        self.output.mkdir(parents=True, exist_ok=True)
        with transaction.atomic():
            self._write_samples(self._demo_data())
            # The invented data exists only for the samples.
            transaction.set_rollback(True)
        self.stdout.write(f"Samples written to {self.output}/ (demo data rolled back).")

    def _demo_data(self):
        kz, _ = Country.objects.get_or_create(code="KZ", defaults={"name": "Kazakhstan"})
        kg, _ = Country.objects.get_or_create(code="KG", defaults={"name": "Kyrgyzstan"})
        organization = Organization.objects.create(
            name="Demo Group (invented)", slug="demo-group-invented", country=kz, city="Almaty"
        )
        user = User.objects.create(
            username="demo-reviewer-sample", first_name="Demo", last_name="Reviewer"
        )
        facility = Facility.objects.create(
            name="Demo Re-education Centre No. 2",
            kind=Facility.Kind.CAMP,
            prefecture="ili",
            county="Demo County",
        )
        cases = []
        for index, row in enumerate(DEMO_PEOPLE):
            latin, cyrillic, han, arabic, gender, ethnicity, prefecture, status, year = row
            person = Person.objects.create(
                organization=organization,
                gender=gender,
                ethnicity=ethnicity,
                birth_date=datetime.date(1960 + index * 5, 1, 1),
                birth_date_precision="year",
                hometown_prefecture=prefecture,
                hometown_county="Demo County",
                occupation="herder" if index % 2 else "teacher",
                prc_id_number=f"65000019{60 + index * 5}0101000{index}",
                contact_details="invented: +7 700 000 00 0" + str(index),
            )
            for value, script in (
                (latin, "latn"),
                (cyrillic, "cyrl"),
                (han, "hani"),
                (arabic, "arab"),
            ):
                if value:
                    PersonName.objects.create(person=person, value=value, script=script)
            Citizenship.objects.create(person=person, country=kz if index % 3 else kg)
            case = Case.objects.create(
                person=person,
                organization=organization,
                status=status,
                evidence_level=index % 5,
                publication_state="published" if index % 2 == 0 else "in_review",
                summary="Invented demo case: detained after a visit to relatives abroad.",
                notes="Private demo note: the family asks not to be called after 9 pm.",
            )
            if year:
                CaseEvent.objects.create(
                    case=case,
                    kind=CaseEvent.Kind.DETAINED,
                    date_start=datetime.date(year, 4, 1),
                    date_start_precision="month",
                    facility=facility,
                    place="Demo township police station",
                    official_reason="“extremism” (as told to the family)",
                    suspected_reasons=["travel_abroad", "relatives_abroad"],
                    description="Taken from home by local police.",
                    notes="Private: neighbour's account, not yet confirmed.",
                )
            cases.append(case)
        first = cases[0]
        relative = Person.objects.create(
            organization=organization, gender="female", ethnicity="kazakh"
        )
        PersonName.objects.create(person=relative, value="Demova Saule", script="latn")
        Relationship.objects.create(person=first.person, relative=relative, kind="daughter")
        Consent.objects.create(
            case=first,
            given_by=relative,
            given_on=datetime.date(2020, 2, 3),
            consent_to_publish=True,
            identity_level="name_only",
            un_submission_consent=True,
        )
        Testimony.objects.create(
            case=first,
            testifier=relative,
            relationship="daughter",
            given_on=datetime.date(2020, 2, 3),
            language="kk",
            medium="video",
            visibility="public",
            transcript="Private demo transcript.",
        )
        Source.objects.create(
            case=first, kind="media_report", title="Demo newspaper article", visibility="public"
        )
        Source.objects.create(
            case=first, kind="leaked_record", title="Demo leaked list", visibility="sensitive"
        )
        action = AdvocacyAction.objects.create(
            organization=organization,
            kind=AdvocacyAction.Kind.LETTER_MINISTRY,
            title="Letter to the Ministry of Foreign Affairs (demo)",
            date=datetime.date(2020, 3, 10),
            addressee="Ministry of Foreign Affairs",
            reference_number="DEMO-123",
            is_public=True,
        )
        action.cases.add(first)
        return {
            "user": user,
            "first": first,
            "cases": Case.objects.filter(organization=organization),
        }

    def _write_samples(self, demo):
        queryset, user = demo["cases"], demo["user"]
        columns = exports.columns_for(
            [*exports.DEFAULT_COLUMNS, "name_chinese", "name_uyghur", "publication_state", "notes"]
        )
        (self.output / "cases.csv").write_text(
            "".join(exports.csv_stream(queryset, columns)), encoding="utf-8"
        )
        with exports.write_xlsx(queryset, columns, title="Cases") as xlsx:
            (self.output / "cases.xlsx").write_bytes(xlsx.read())
        report = reports.summary(queryset)
        (self.output / "summary-report.pdf").write_bytes(
            pdf.summary_pdf(report, filter_description="", user=user)
        )
        status = report.sections[0]
        (self.output / "summary-chart-status.svg").write_text(
            bar_chart_svg(status.rows, title=status.title), encoding="utf-8"
        )
        first = queryset.with_everything().get(pk=demo["first"].pk)
        (self.output / "dossier.pdf").write_bytes(pdf.dossier_pdf(first, include_private=False))
        (self.output / "dossier-confidential.pdf").write_bytes(
            pdf.dossier_pdf(first, include_private=True)
        )
        submission = build_submission(first, submitter=user)
        (self.output / "un-wgeid-submission.pdf").write_bytes(pdf.un_submission_pdf(submission))
