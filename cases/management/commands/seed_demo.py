"""Fill the database with invented, realistic demo data.

Every person is invented (common given names combined at random); countries and the advocacy
groups named in public reporting are real reference data. Deterministic for a given --seed.
Rows are written with bulk inserts in chunks, so 100,000 cases take a few minutes at most.
"""

import datetime
import random
import time
from collections import defaultdict
from functools import cache

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from simple_history.utils import bulk_create_with_history

from cases.management import demo_names
from cases.management.bulk import BulkInsert, reserve_ids, reset_sequences
from cases.management.demo_tables import (
    CITIES,
    COUNTRIES,
    COUNTRY_NOTES,
    ETHNICITY_WEIGHTS,
    FOLLOW_UPS,
    HOMELANDS,
    OCCUPATIONS,
    ORGANIZATIONS,
    PLACES,
    RELATIVE_KINDS,
    SUMMARIES,
    SUSPECTED_REASONS,
)
from cases.models import (
    Case,
    CaseEvent,
    Citizenship,
    Consent,
    EntryNumberCounter,
    Ethnicity,
    Facility,
    Family,
    Person,
    PersonName,
    Relationship,
    Residence,
    Source,
    Testimony,
)
from cases.names import search_key
from cases.services.publication import publish_entries, refresh_public_actions
from casetracker.dates import DatePrecision
from orgs.models import AdvocacyAction, Country, Membership, Organization, User
from orgs.two_factor import DEMO_RECOVERY_CODES, DEMO_RECOVERY_NAME

HistoricalCase = Case.history.model


@cache
def _key(value):
    return search_key(value)


class Command(BaseCommand):
    help = (
        "Fill the database with invented demo cases (real countries and groups, invented people)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=500, help="How many cases to create.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create demo accounts for each role (development only, DEBUG must be on).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds cases.",
        )

    def handle(self, *args, cases, seed, demo_users, if_empty, **options):
        if cases < 0 or cases > 1_000_000:
            raise CommandError("--cases must be between 0 and 1,000,000.")
        if demo_users and not settings.DEBUG:
            raise CommandError("Demo accounts have known passwords: only with DEBUG on.")
        if if_empty and Case.objects.exists():
            self.stdout.write("The database already holds cases; nothing to do.")
            return
        started = time.monotonic()
        self.rng = random.Random(seed)
        with transaction.atomic():
            self.countries = self._countries()
            self.organizations = self._organizations()
            self.facilities = self._facilities()
            if demo_users:
                self._demo_users()
            self._cases(cases, options["verbosity"])
            self._publish()
            self._actions()
        if options["verbosity"]:
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"Created {cases} demo cases in {elapsed:.1f}s."))

    # Reference data -----------------------------------------------------------------------

    def _countries(self):
        for code, name, name_ru, name_local in COUNTRIES:
            Country.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_ru": name_ru,
                    "name_local": name_local,
                    "notes": COUNTRY_NOTES.get(code, ""),
                },
            )
        return {c.code: c for c in Country.objects.all()}

    def _organizations(self):
        result = []
        for data in ORGANIZATIONS:
            data = dict(data)
            country = self.countries[data.pop("country")]
            org, _created = Organization.objects.update_or_create(
                slug=data.pop("slug"), defaults={**data, "country": country}
            )
            result.append(org)
        return result

    def _facilities(self):
        if Facility.objects.exists():
            return list(Facility.objects.all())
        kinds = [
            (Facility.Kind.CAMP, "Vocational Skills Education and Training Centre No. {n}"),
            (Facility.Kind.DETENTION_CENTRE, "Detention Centre No. {n}"),
            (Facility.Kind.PRISON, "Prison No. {n}"),
            (Facility.Kind.POLICE_STATION, "Police Station, {place} town"),
            (Facility.Kind.FORCED_LABOUR, "Industrial Park Workshop No. {n}"),
        ]
        rows = []
        for prefecture, places in PLACES.items():
            for place in places:
                kind, pattern = self.rng.choice(kinds)
                n = self.rng.randint(1, 4)
                rows.append(
                    Facility(
                        name=f"{place} County " + pattern.format(n=n, place=place),
                        kind=kind,
                        prefecture=prefecture,
                        county=place,
                    )
                )
        return bulk_create_with_history(rows, Facility, default_change_reason="demo data")

    def _demo_users(self):
        """Demo accounts for each role, with known passwords and known recovery codes, so that a
        newcomer can sign in through the second-factor prompt without a phone (DEBUG only).
        They are marked `is_demo`, so that `check --deploy` finds them."""
        password = "demo-only-password"
        accounts = [("demo-staff", None, None)] + [
            (f"{org.slug}-{role}", org, role)
            for org in self.organizations[:2]
            for role in Membership.Role.values
        ]
        for username, org, role in accounts:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_site_staff": org is None, "is_demo": True},
            )
            if created:
                user.set_password(password)
                user.save()
                device = StaticDevice.objects.create(
                    user=user, name=DEMO_RECOVERY_NAME, confirmed=True
                )
                StaticToken.objects.bulk_create(
                    StaticToken(device=device, token=token) for token in DEMO_RECOVERY_CODES
                )
            if org is not None:
                Membership.objects.get_or_create(
                    user=user, organization=org, defaults={"role": role}
                )
        self.stdout.write(
            f"Demo accounts (password '{password}'; at the code prompt, one of the recovery "
            f"codes {DEMO_RECOVERY_CODES[0]} … {DEMO_RECOVERY_CODES[-1]}, each once): "
            + ", ".join(username for username, _org, _role in accounts)
        )

    # People and cases ---------------------------------------------------------------------

    def _cases(self, count, verbosity):
        if not count:
            return
        self.now = timezone.now()
        self.statuses = Case.Status.values
        self.facilities_by_prefecture = defaultdict(list)
        for facility in self.facilities:
            self.facilities_by_prefecture[facility.prefecture].append(facility.pk)
        first_entry = EntryNumberCounter.take(count)
        models_with_ids = (Family, Person, Case)
        self.writers = {
            model: BulkInsert(model, with_pk=model in models_with_ids)
            for model in (
                Family, Person, PersonName, Citizenship, Residence, Relationship,
                Case, HistoricalCase, Consent, CaseEvent, Testimony, Source,
            )
        }  # fmt: skip
        family_ids = reserve_ids(Family, count)
        person_ids = reserve_ids(Person, 2 * count)
        case_ids = reserve_ids(Case, count)
        for n in range(count):
            ids = (family_ids[n], person_ids[2 * n], person_ids[2 * n + 1], case_ids[n])
            self._case(first_entry + n, ids)
            if verbosity >= 2 and (n + 1) % 10000 == 0:
                self.stdout.write(f"  {n + 1} cases …")
        for writer in self.writers.values():
            writer.flush()
        reset_sequences(*self.writers)
        Case.objects.filter(pk__range=(case_ids[0], case_ids[-1])).refresh_detention_years(
            created_at=self.now
        )
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses from empty tables until autovacuum runs.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _names_for(self, ethnicity, gender):
        """Name rows (value, script, language, kind) for an invented person."""
        rng = self.rng
        female = gender == Person.Gender.FEMALE
        if ethnicity == Ethnicity.UYGHUR:
            given = rng.choice(demo_names.UYGHUR_FEMALE if female else demo_names.UYGHUR_MALE)
            father = rng.choice(demo_names.UYGHUR_MALE)
            # Uyghur practice: given name, then the father's name.
            return [
                (f"{given[3]} {father[3]}", "arab", "ug", PersonName.Kind.PRIMARY),
                (f"{given[1]} {father[1]}", "latn", "ug", PersonName.Kind.PRIMARY),
                (f"{given[0]} {father[0]}", "cyrl", "ru", PersonName.Kind.PRIMARY),
                (f"{given[2]}·{father[2]}", "hani", "zh", PersonName.Kind.OFFICIAL_CHINESE),
            ]
        if ethnicity == Ethnicity.KYRGYZ:
            given_pool = demo_names.KYRGYZ_FEMALE if female else demo_names.KYRGYZ_MALE
            father_pool, language = demo_names.KYRGYZ_MALE, "ky"
        else:
            given_pool = demo_names.KAZAKH_FEMALE if female else demo_names.KAZAKH_MALE
            father_pool, language = demo_names.KAZAKH_MALE, "kk"
        given, father = rng.choice(given_pool), rng.choice(father_pool)
        rows = [
            # As relatives in Kazakhstan and Kyrgyzstan write it: family name first.
            (f"{father[0]} {given[0]}", "cyrl", language, PersonName.Kind.PRIMARY),
            (f"{given[1]} {father[1]}", "latn", "en", PersonName.Kind.PRIMARY),
            (f"{given[2]}·{father[2]}", "hani", "zh", PersonName.Kind.OFFICIAL_CHINESE),
        ]
        if rng.random() < 0.3:
            # Another common spelling, as in a Kazakhstan passport or a news report.
            variant = given[1].replace("Zh", "J").replace("y", "i").replace("K", "Q", 1)
            rows.append((f"{variant} {father[1]}", "latn", "en", PersonName.Kind.ALIAS))
        return rows

    def _partial_date(self, start_year, end_year):
        rng = self.rng
        year = rng.randint(start_year, end_year)
        precision = rng.choices(
            [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.APPROXIMATE],
            weights=[35, 30, 25, 10],
        )[0]
        if precision == DatePrecision.DAY:
            return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)), precision
        if precision == DatePrecision.MONTH:
            return datetime.date(year, rng.randint(1, 12), 1), precision
        return datetime.date(year, 1, 1), precision

    def _case(self, entry_number, ids):
        """One invented case: the detained person, a relative abroad, and what the case holds."""
        rng, w, now = self.rng, self.writers, self.now
        family_id, person_id, relative_id, case_id = ids
        ethnicity = rng.choices(*zip(*ETHNICITY_WEIGHTS, strict=True))[0]
        gender = rng.choices([Person.Gender.MALE, Person.Gender.FEMALE], weights=[62, 38])[0]
        prefecture = rng.choice(HOMELANDS.get(ethnicity, HOMELANDS[Ethnicity.UYGHUR]))
        known_day = rng.random() < 0.2
        birth = datetime.date(
            rng.randint(1938, 2001),
            rng.randint(1, 12) if known_day else 1,
            rng.randint(1, 28) if known_day else 1,
        )
        relation, relative_gender = rng.choice(RELATIVE_KINDS)
        organization = self.organizations[
            1 if ethnicity == Ethnicity.KYRGYZ else rng.choice([0, 0, 0, 2])
        ]
        # The family and both people belong to the group that holds the case.
        w[Family].add(
            id=family_id,
            label=f"Family of entry {entry_number}",
            organization_id=organization.pk,
        )
        w[Person].add(
            id=person_id,
            organization_id=organization.pk,
            family_id=family_id,
            gender=gender,
            ethnicity=ethnicity,
            birth_date=birth,
            birth_date_precision=DatePrecision.DAY if known_day else DatePrecision.YEAR,
            hometown_prefecture=prefecture,
            hometown_county=rng.choice(PLACES[prefecture]),
            occupation=rng.choice(OCCUPATIONS),
            # Invented private details, to show that they never reach the public side.
            prc_id_number=f"65{rng.randint(0, 10**16 - 1):016d}",
        )
        w[Person].add(
            id=relative_id,
            organization_id=organization.pk,
            family_id=family_id,
            gender=relative_gender,
            ethnicity=ethnicity,
            birth_date=datetime.date(rng.randint(1950, 2003), 1, 1),
            birth_date_precision=DatePrecision.YEAR,
            contact_details=f"+7 70{rng.randint(0, 9)} {rng.randint(100, 999)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)} (invented)",
        )
        for value, script, language, kind in self._names_for(ethnicity, gender):
            w[PersonName].add(
                person_id=person_id,
                value=value,
                script=script,
                language=language,
                kind=kind,
                search_key=_key(value),
            )
        for value, script, language, kind in self._names_for(ethnicity, relative_gender):
            if script in ("cyrl", "latn") and kind == PersonName.Kind.PRIMARY:
                w[PersonName].add(
                    person_id=relative_id,
                    value=value,
                    script=script,
                    language=language,
                    kind=kind,
                    search_key=_key(value),
                )

        # Families split across borders: the detained person in China, the relative a citizen
        # of Kazakhstan or Kyrgyzstan (sometimes Türkiye), living there.
        abroad_code = {Ethnicity.KYRGYZ: "KG", Ethnicity.UYGHUR: rng.choice(["KZ", "TR", "KG"])}
        abroad = self.countries[abroad_code.get(ethnicity, "KZ")].pk
        w[Citizenship].add(person_id=person_id, country_id=self.countries["CN"].pk)
        if rng.random() < 0.25:
            # Many of the detained had become citizens abroad themselves before they went back.
            w[Citizenship].add(
                person_id=person_id,
                country_id=abroad,
                acquired_on=datetime.date(rng.randint(2005, 2016), 1, 1),
            )
        w[Citizenship].add(
            person_id=relative_id,
            country_id=abroad,
            acquired_on=datetime.date(rng.randint(2000, 2019), 1, 1),
        )
        w[Residence].add(
            person_id=relative_id,
            country_id=abroad,
            place=rng.choice(CITIES),
            since=datetime.date(rng.randint(2000, 2019), 1, 1),
        )
        w[Relationship].add(person_id=person_id, relative_id=relative_id, kind=relation)

        status = (
            self.statuses[entry_number % len(self.statuses)]
            if rng.random() < 0.5
            else rng.choice(self.statuses)
        )
        state = rng.choices(Case.PublicationState.values, weights=[12, 8, 75, 5])[0]
        detained_on, precision = self._partial_date(2016, 2020)
        case = {
            "id": case_id,
            "entry_number": entry_number,
            "person_id": person_id,
            "organization_id": organization.pk,
            "status": status,
            "status_confirmed_on": datetime.date(
                rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
            ),
            # Every evidence level appears, weighted towards the middle as in real records.
            "evidence_level": entry_number % 5
            if rng.random() < 0.4
            else rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4]),
            "publication_state": state,
            "published_at": now - datetime.timedelta(days=rng.randint(1, 2500))
            if state == Case.PublicationState.PUBLISHED
            else None,
            "priority": rng.choice(Case.Priority.values),
            "summary": SUMMARIES[status],
            "notes": "Private note: the family asks not to be called on weekdays (invented).",
            "created_at": now,
            "updated_at": now,
        }
        if state == Case.PublicationState.PUBLISHED and not case["evidence_level"]:
            # Publishing needs an assessed evidence level, as in the workflow.
            case["evidence_level"] = Case.EvidenceLevel.ONE_TESTIFIER
        w[Case].add(**case)
        w[HistoricalCase].add(
            **case,
            history_date=now,
            history_type="+",
            history_change_reason="demo data (seed_demo)",
        )

        identity = rng.choices(Consent.IdentityLevel.values, weights=[45, 35, 20])[0]
        # An anonymous entry names nobody, the giver included (Consent.clean): drawn either way,
        # so that the rest of the demo data stays as it was.
        giver_named = rng.random() < 0.3 and identity != Consent.IdentityLevel.ANONYMOUS
        w[Consent].add(
            case_id=case_id,
            given_by_id=relative_id,
            given_on=datetime.date(rng.randint(2018, 2025), rng.randint(1, 12), 1),
            consent_to_publish=state != Case.PublicationState.DRAFT or rng.random() < 0.5,
            identity_level=identity,
            photo_consent=identity == Consent.IdentityLevel.FULL and rng.random() < 0.6,
            un_submission_consent=rng.random() < 0.5,
            giver_may_be_named=giver_named,
            withdrawn_at=now - datetime.timedelta(days=rng.randint(1, 300))
            if rng.random() < 0.02
            else None,
        )
        w[CaseEvent].add(
            case_id=case_id,
            kind=CaseEvent.Kind.DETAINED,
            date_start=detained_on,
            date_start_precision=precision,
            facility_id=rng.choice(self.facilities_by_prefecture[prefecture]),
            suspected_reasons=rng.sample(SUSPECTED_REASONS, k=rng.randint(1, 2)),
            description="Taken from home by local police.",
        )
        later = (detained_on + datetime.timedelta(days=rng.randint(60, 900))).replace(day=1)
        follow_up = FOLLOW_UPS.get(status)
        if follow_up:
            w[CaseEvent].add(
                case_id=case_id,
                kind=follow_up,
                date_start=later,
                date_start_precision=DatePrecision.MONTH,
                sentence_months=rng.choice([60, 84, 120, 180, 240])
                if follow_up == CaseEvent.Kind.SENTENCED
                else None,
            )
        w[Testimony].add(
            case_id=case_id,
            testifier_id=relative_id,
            relationship=relation,
            given_on=datetime.date(rng.randint(2018, 2025), rng.randint(1, 12), 1),
            language=rng.choice(["kk", "ru", "ky", "ug"]),
            medium=rng.choice(Testimony.Medium.values),
            transcript="Invented transcript: the relative describes the last phone call.",
            visibility=rng.choice(["public", "restricted", "restricted"]),
        )
        source_kind = rng.choice(Source.Kind.values)
        w[Source].add(
            case_id=case_id,
            kind=source_kind,
            title=f"{Source.Kind(source_kind).label.capitalize()} (invented)",
            reliability=rng.choice(Source.Reliability.values),
            visibility=rng.choice(["public", "restricted", "sensitive"]),
            published_on=later if source_kind in ("media_report", "ngo_report") else None,
        )

    def _publish(self):
        """Published demo cases go public the way any case does: through the publication
        service, which builds their public entries (without files: demo cases have none)."""
        published = Case.objects.filter(
            publication_state=Case.PublicationState.PUBLISHED,
            consent__consent_to_publish=True,
            consent__withdrawn_at__isnull=True,
        ).values_list("pk", flat=True)
        publish_entries(published, reason="demo data", with_files=False)

    def _actions(self):
        """A few advocacy actions per group, linked to some of its published cases."""
        kinds = AdvocacyAction.Kind.values
        for org in self.organizations:
            case_ids = list(
                Case.objects.filter(organization=org)
                .public()
                .order_by("entry_number")
                .values_list("pk", flat=True)[:200]
            )
            if not case_ids:
                continue
            for n in range(6):
                kind = self.rng.choice(kinds)
                action = AdvocacyAction.objects.create(
                    organization=org,
                    kind=kind,
                    title=f"{AdvocacyAction.Kind(kind).label.capitalize()} #{n + 1} (demo)",
                    date=datetime.date(self.rng.randint(2018, 2025), self.rng.randint(1, 12), 1),
                    date_precision=DatePrecision.MONTH,
                    reference_number=f"DEMO-{org.pk}-{n + 1}" if kind == "un_submission" else "",
                    is_public=self.rng.random() < 0.7,
                )
                action.cases.set(self.rng.sample(case_ids, k=min(len(case_ids), 5)))
                refresh_public_actions(action_ids=[action.pk])
