"""The public record: what the public sees is a snapshot a reviewer published, taken down at once.

Driven through the admin as a volunteer and reviewers would, and read back as an anonymous
visitor and from the public-entry table itself."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from cases.models import (
    Case,
    Consent,
    PublicationRecord,
    PublicEntry,
    PublicFile,
)
from tests.admin_forms import form_data
from tests.factories import (
    AdvocacyActionFactory,
    CaseEventFactory,
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    MembershipFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
    SourceFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db

State = Case.PublicationState


@pytest.fixture
def second_reviewer(organization):
    """Gulnara, a second reviewer of the Almaty test group."""
    return MembershipFactory(
        user=UserFactory(username="gulnara"), organization=organization, role="reviewer"
    ).user


@pytest.fixture
def public_case(organization):
    person = PersonFactory()
    PersonNameFactory(person=person, value="Nurlan Testov", script="latn")
    case = CaseFactory(
        person=person,
        organization=organization,
        publication_state=State.PUBLISHED,
        summary="The summary as published.",
    )
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
    return publish(case)


def edit_case(client, case, **changes):
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    response = client.post(f"/admin/cases/case/{case.pk}/change/", form_data(page, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_a_volunteers_edit_waits_for_another_reviewer(
    client, volunteer, reviewer, second_reviewer, public_case
):
    client.force_login(volunteer)
    edit_case(client, public_case, summary="A summary nobody reviewed yet.")
    client.logout()

    # The public page still shows the published revision.
    page = client.get(f"/cases/{public_case.entry_number}/").text
    assert "The summary as published." in page
    assert "nobody reviewed" not in page

    # A reviewer sees the difference field by field, and may publish this revision.
    client.force_login(reviewer)
    admin_page = client.get(f"/admin/cases/case/{public_case.pk}/change/").text
    assert "The public version differs" in admin_page
    assert "A summary nobody reviewed yet." in admin_page
    assert "workflow/publish_revision/" in admin_page
    response = client.post(
        f"/admin/cases/case/{public_case.pk}/workflow/publish_revision/", follow=True
    )
    assert "The new revision is public." in response.text
    client.logout()

    page = client.get(f"/cases/{public_case.entry_number}/").text
    assert "A summary nobody reviewed yet." in page
    entry = PublicEntry.objects.get(case=public_case)
    assert entry.revision == 2
    records = PublicationRecord.objects.filter(case=public_case).order_by("revision")
    assert [r.by for r in records] == [None, reviewer]
    assert records[0].snapshot["content"]["summary"] == "The summary as published."


def test_a_reviewer_may_not_publish_a_revision_only_they_changed(
    client, reviewer, second_reviewer, public_case
):
    client.force_login(reviewer)
    edit_case(client, public_case, summary="Changed by the reviewer alone.")
    response = client.post(
        f"/admin/cases/case/{public_case.pk}/workflow/publish_revision/", follow=True
    )
    assert "Four eyes" in response.text
    assert (
        "Changed by the reviewer alone."
        not in client.get(f"/cases/{public_case.entry_number}/").text
    )
    # Clicking a workflow step is not an edit: the second reviewer may publish it.
    client.force_login(second_reviewer)
    client.post(f"/admin/cases/case/{public_case.pk}/workflow/publish_revision/")
    assert (
        "Changed by the reviewer alone." in client.get(f"/cases/{public_case.entry_number}/").text
    )


def test_a_volunteer_cannot_publish_their_own_edit(client, volunteer, public_case):
    client.force_login(volunteer)
    edit_case(client, public_case, summary="Volunteer text.")
    assert (
        "workflow/publish_revision/"
        not in client.get(f"/admin/cases/case/{public_case.pk}/change/").text
    )
    client.post(f"/admin/cases/case/{public_case.pk}/workflow/publish_revision/")
    assert PublicEntry.objects.get(case=public_case).revision == 1


def test_a_name_added_to_an_anonymous_case_stays_off_the_site(client, volunteer, organization):
    case = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.ANONYMOUS)
    PersonNameFactory(person=case.person, value="Secret Anonymous Name", script="latn")
    publish(case)
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    consent_prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Consent
    )
    client.post(
        f"/admin/cases/case/{case.pk}/change/",
        form_data(page, **{f"{consent_prefix}-0-identity_level": "name_only"}),
    )
    assert Consent.objects.get(case=case).identity_level == "name_only"
    client.logout()
    assert "Secret Anonymous Name" not in client.get(f"/cases/{case.entry_number}/").text
    assert "Secret Anonymous Name" not in client.get("/cases/?q=Secret").text


def test_deleting_a_withdrawn_consent_and_adding_a_new_one_keeps_the_case_off(
    client, volunteer, public_case
):
    client.force_login(volunteer)
    client.post(f"/admin/cases/case/{public_case.pk}/workflow/withdraw_consent/")
    assert not PublicEntry.objects.filter(case=public_case).exists()
    public_case.refresh_from_db()
    assert public_case.publication_state == State.WITHDRAWN

    page = client.get(f"/admin/cases/case/{public_case.pk}/change/")
    consent_prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Consent
    )
    # A forged DELETE of the consent row changes nothing: consent rows cannot be deleted.
    client.post(
        f"/admin/cases/case/{public_case.pk}/change/",
        form_data(page, **{f"{consent_prefix}-0-DELETE": "on"}),
    )
    consent = Consent.objects.get(case=public_case)
    assert consent.withdrawn_at is not None

    # Consent given again is recorded, and the case is still off the site until review.
    client.post(f"/admin/cases/case/{public_case.pk}/workflow/renew_consent/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert consent.history.filter(withdrawn_at__isnull=False).exists()
    client.logout()
    assert client.get(f"/cases/{public_case.entry_number}/").status_code == 404
    assert not Case.objects.public().exists()


def test_unticking_consent_to_publish_in_the_admin_takes_the_entry_down(
    client, volunteer, public_case
):
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{public_case.pk}/change/")
    consent_prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Consent
    )
    client.post(
        f"/admin/cases/case/{public_case.pk}/change/",
        form_data(page, **{f"{consent_prefix}-0-consent_to_publish": None}),
    )
    assert not PublicEntry.objects.filter(case=public_case).exists()
    public_case.refresh_from_db()
    assert public_case.publication_state == State.WITHDRAWN
    taken_down = PublicationRecord.objects.get(case=public_case, action="taken_down")
    assert taken_down.by == volunteer
    assert taken_down.snapshot["display_name"] == "Nurlan Testov"


def test_withdrawing_the_case_deletes_its_entry_and_files(
    client, volunteer, organization, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    ConsentFactory(case=case, identity_level="full", photo_consent=True)
    case.person.photo = SimpleUploadedFile("face.png", _png(), content_type="image/png")
    case.person.save()
    publish(case)
    public_file = PublicFile.objects.get(entry__case=case)
    path = tmp_path / public_file.file.name
    assert path.exists()
    client.force_login(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/cases/case/{case.pk}/workflow/withdraw/")
    assert not PublicEntry.objects.filter(case=case).exists()
    assert not path.exists()
    client.logout()
    assert client.get(f"/cases/{case.entry_number}/photo").status_code == 404


def _png(exif_gps=False):
    image = Image.new("RGB", (8, 8), "red")
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {2: (43.0, 15.0, 0.0), 1: "N"}  # GPSInfo: latitude
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def _pdf_with_author_and_gps_photo():
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.add_metadata({"/Author": "Secret Author Name", "/Title": "Verdict"})
    out = io.BytesIO()
    writer.write(out)
    # Embed a JPEG with GPS EXIF through Pillow's PDF writer, then merge its page in.
    photo = io.BytesIO()
    Image.open(io.BytesIO(_png(exif_gps=True))).save(photo, "PDF")
    merged = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    merged.append(PdfReader(io.BytesIO(photo.getvalue())))
    merged.add_metadata({"/Author": "Secret Author Name"})
    final = io.BytesIO()
    merged.write(final)
    return final.getvalue()


def test_a_public_pdf_source_goes_out_without_author_or_gps(
    client, organization, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    ConsentFactory(case=case, identity_level="name_only")
    original = _pdf_with_author_and_gps_photo()
    assert b"Secret Author Name" in original
    source = SourceFactory(
        case=case,
        kind="verdict",
        visibility="public",
        file=SimpleUploadedFile("verdict.pdf", original, content_type="application/pdf"),
    )
    publish(case)
    response = client.get(f"/files/source/{source.pk}/")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert b"Secret Author Name" not in served
    reader = PdfReader(io.BytesIO(served))
    assert not (reader.metadata or {}).get("/Author")
    for page in reader.pages:
        for embedded in page.images:
            assert not embedded.image.getexif().get(0x8825)
    # The upload itself stays as it came in, staff-side.
    source.refresh_from_db()
    with source.file.open("rb") as handle:
        assert b"Secret Author Name" in handle.read()


def test_an_anonymous_entry_names_nobody_anywhere(client, organization, site_staff):
    kz = CountryFactory(code="KZ", name="Kazakhstan")
    person = PersonFactory(occupation="Anon Occupation", hometown_county="Anon County")
    PersonNameFactory(person=person, value="Anon Person Name", script="latn")
    CitizenshipFactory(person=person, country=kz)
    case = CaseFactory(
        person=person,
        organization=organization,
        publication_state=State.PUBLISHED,
        summary="Anon free text summary.",
    )
    relative = PersonFactory()
    PersonNameFactory(person=relative, value="Anon Relative Name", script="latn")
    RelationshipFactory(person=person, relative=relative, kind="grandchild")
    ConsentFactory(case=case, identity_level="anonymous", given_by=relative)
    CaseEventFactory(case=case, place="Anon Place", description="Anon event text.")
    SourceFactory(case=case, visibility="public", title="Anon Source", url="https://anon.example/")
    action = AdvocacyActionFactory(organization=organization, is_public=True, title="Anon Action")
    action.cases.add(case)
    publish(case)

    entry = PublicEntry.objects.get(case=case)
    assert entry.content == {} and entry.search_document == "" and entry.display_name == ""
    assert not entry.countries.exists()
    pages = [
        client.get(f"/cases/{case.entry_number}/").text,
        client.get("/cases/").text,
        client.get("/cases/?q=Anon").text,
        client.get(f"/organizations/{organization.slug}/").text,
        b"".join(client.get("/cases/open-data.csv").streaming_content).decode(),
        b"".join(client.get("/cases/open-data.json").streaming_content).decode(),
    ]
    for body in pages:
        assert "Anon " not in body and "anon.example" not in body
    client.force_login(site_staff)
    dossier = client.get(f"/staff/cases/{case.entry_number}/dossier.pdf")
    assert dossier.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(dossier.content)).pages)
    assert "Anon" not in text and "anon.example" not in text


def test_consent_refuses_anonymous_with_a_named_giver(organization):
    case = CaseFactory(organization=organization)
    consent = Consent(case=case, identity_level="anonymous", giver_may_be_named=True)
    with pytest.raises(Exception, match="names nobody"):
        consent.full_clean()


def test_the_admin_warns_what_an_anonymous_case_will_not_show(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    ConsentFactory(case=case, identity_level="anonymous")
    SourceFactory(case=case, visibility="public")
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/").text
    assert "This case is anonymous" in page and "1 public sources" in page


def test_an_action_about_a_withdrawn_case_leaves_the_groups_page(
    client, volunteer, organization, public_case
):
    other = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    ConsentFactory(case=other, identity_level="name_only")
    publish(other)
    action = AdvocacyActionFactory(
        organization=organization, is_public=True, title="Letter about two cases"
    )
    action.cases.add(public_case, other)
    publish(public_case)
    assert "Letter about two cases" in client.get(f"/organizations/{organization.slug}/").text
    client.force_login(volunteer)
    client.post(f"/admin/cases/case/{other.pk}/workflow/withdraw/")
    client.logout()
    assert "Letter about two cases" not in client.get(f"/organizations/{organization.slug}/").text
    assert "Letter about two cases" not in client.get(f"/cases/{public_case.entry_number}/").text


def test_the_public_list_reads_only_public_entries(
    client, public_case, django_assert_max_num_queries
):
    # The working record changes; the list does not, and it joins nothing but the group.
    Case.objects.filter(pk=public_case.pk).update(status="released_abroad")
    with django_assert_max_num_queries(5) as captured:
        body = client.get("/cases/?status=released_abroad").text
    assert f"#{public_case.entry_number}" not in body
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "cases_case" not in sql and "cases_person" not in sql


def test_a_merge_takes_the_merged_away_entry_down_and_waits_for_review(
    client, site_staff, organization, public_case
):
    other = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    ConsentFactory(case=other, identity_level="name_only")
    PersonNameFactory(person=other.person, value="Nurlan Testov Merged", script="cyrl")
    publish(other)
    client.force_login(site_staff)
    response = client.post(
        f"/admin/cases/case/{public_case.pk}/merge/",
        {"entry_number": str(other.entry_number), "confirm": "yes"},
    )
    assert response.status_code == 302
    assert not PublicEntry.objects.filter(case=other).exists()
    client.logout()
    assert client.get(f"/cases/{other.entry_number}/").status_code == 404
    # The name that moved onto the case kept is not public until a reviewer publishes.
    assert "Nurlan Testov Merged" not in client.get(f"/cases/{public_case.entry_number}/").text


def test_an_import_update_of_a_published_case_waits_for_review(
    client, volunteer, organization, public_case, settings, tmp_path
):
    from cases.imports import writing
    from cases.imports.plan import dry_run
    from cases.imports.reading import read_table
    from tests.import_sheets import upload

    settings.CASE_IMPORT_DIR = str(tmp_path)
    sheet = f"Entry number,Name,Status\n{public_case.entry_number},Nurlan Testov,умер\n"
    table = read_table(upload(sheet.encode(), "update.csv"))
    plan = dry_run(table, organization=organization, user=volunteer)
    assert plan.can_import
    writing.import_cases(plan, user=volunteer)
    public_case.refresh_from_db()
    assert public_case.status == Case.Status.DIED
    assert PublicEntry.objects.get(case=public_case).status == Case.Status.CAMP
    client.force_login(volunteer)
    assert "The public version differs" in client.get(
        f"/admin/cases/case/{public_case.pk}/change/"
    ).text


def test_staff_see_what_was_public_when(client, site_staff, volunteer, reviewer, public_case):
    client.force_login(volunteer)
    client.post(f"/admin/cases/case/{public_case.pk}/workflow/withdraw/")
    assert client.get("/admin/cases/publicationrecord/").status_code == 403
    client.force_login(site_staff)
    listing = client.get("/admin/cases/publicationrecord/")
    assert listing.status_code == 200
    records = PublicationRecord.objects.filter(case=public_case).order_by("at", "pk")
    assert [r.action for r in records] == ["published", "taken_down"]
    assert records[1].by == volunteer
    assert records[1].snapshot["content"]["summary"] == "The summary as published."


def test_the_reviewers_home_lists_published_cases_with_unpublished_changes(
    client, volunteer, reviewer, public_case
):
    client.force_login(reviewer)
    assert public_case not in client.get("/admin/").context["home"].unpublished_changes
    client.force_login(volunteer)
    edit_case(client, public_case, summary="Edited after publication.")
    client.force_login(reviewer)
    page = client.get("/admin/")
    assert [case.pk for case in page.context["home"].unpublished_changes] == [public_case.pk]
    assert "Published, with changes not yet published" in page.text
