"""Stored uploads served through one view with its permission check: public files by the case
page's consent rules, everything else to signed-in staff who may see the case or person the
file belongs to (Case/Person.objects.visible_to)."""

import io

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.urls import reverse

from cases.models import Case, Person, Source, Testimony, Visibility
from cases.public.records import public_document, public_photo
from cases.uploads import FileType, detect, read_all


def _may_see(user, visible):
    """Staff who passed the second factor, when the row the file hangs from (a case or a
    person, in the `visible` queryset) is one they may see."""
    if not (user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return False
    return visible.visible_to(user).exists()


def serve_upload(request, kind, pk):
    """One stored file, to whoever may see it; a 404 for everyone else (it does not say whether
    the file exists)."""
    if kind == "photo":
        person = Person.objects.filter(pk=pk).select_related("case__consent").first()
        case = getattr(person, "case", None) if person else None
        field_file = person.photo if person else None
        # A relative's photo is for whoever may see the relative.
        owner = Person.objects.filter(pk=pk)
        # The public rule is the public site's (cases.public.records.public_photo), so that
        # /cases/<n>/photo and this URL can never disagree about a photo.
        public = bool(
            case
            and Case.objects.public().filter(pk=case.pk).exists()
            and public_photo(case) is not None
        )
    elif kind in ("source", "testimony"):
        model = Source if kind == "source" else Testimony
        item = model.objects.filter(pk=pk).select_related("case__consent").first()
        case = item.case if item else None
        field_file = item.file if item else None
        owner = Case.objects.filter(pk=case.pk) if case else Case.objects.none()
        public = bool(
            item
            and item.visibility == Visibility.PUBLIC
            and Case.objects.public().filter(pk=case.pk).exists()
            and public_document(item) is not None
        )
    else:
        raise Http404
    if not field_file or not (public or _may_see(request.user, owner)):
        raise Http404
    data = read_all(field_file.open("rb"))
    try:
        found = detect(data, images=True, documents=True, media=True)
    except ValidationError:
        # Stored before these checks existed: hand it out as an opaque download only.
        found = FileType("application/octet-stream", "bin")
    response = FileResponse(
        io.BytesIO(data),
        content_type=found.content_type,
        as_attachment=not found.is_image,
        filename=f"{kind}-{pk}.{found.extension}",
    )
    # A PDF may carry script: never run anything from an upload in the site's origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    # Even a public file must not outlive a withdrawal of consent in a shared cache (a proxy
    # or CDN keeping it for an hour): caches may store it but must ask again before reuse.
    response["Cache-Control"] = "private, no-store" if not public else "public, no-cache"
    return response


# Which URL kind serves which file field (the `kind` of serve_upload).
SERVED_FIELDS = {
    ("cases.person", "photo"): "photo",
    ("cases.source", "file"): "source",
    ("cases.testimony", "file"): "testimony",
}


def served_url(field_file):
    """The URL that serves a stored upload, with its permission check ("" if none does).

    MEDIA_ROOT is never served by name, so a FieldFile's own `.url` leads nowhere."""
    instance = getattr(field_file, "instance", None)
    kind = (
        SERVED_FIELDS.get((instance._meta.label_lower, field_file.field.name)) if instance else None
    )
    if not (field_file and kind and instance.pk):
        return ""
    return reverse("upload", args=[kind, instance.pk])
