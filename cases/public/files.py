"""Stored uploads served through one view with its permission check: the public gets the
derivatives made at publication, staff of the case's group the uploads themselves."""

import io

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.urls import reverse

from cases.models import Case, Person, PublicFile, Source, Testimony
from cases.uploads import FileType, detect, read_all


def _may_see(user, visible):
    """Staff who passed the second factor, when the row the file hangs from (a case or a
    person, in the `visible` queryset) is one they may see."""
    if not (user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return False
    return visible.visible_to(user).exists()


def _original(kind, pk):
    """The stored upload, and the row whose visibility decides who may have it: a person's
    photo goes with the person (a relative's too), a source or testimony with its case."""
    if kind == "photo":
        person = Person.objects.filter(pk=pk).first()
        return (person.photo if person else None), Person.objects.filter(pk=pk)
    if kind in ("source", "testimony"):
        model = Source if kind == "source" else Testimony
        item = model.objects.filter(pk=pk).first()
        owner = Case.objects.filter(pk=item.case_id) if item else Case.objects.none()
        return (item.file if item else None), owner
    return None, Case.objects.none()


def _public_file(kind, pk):
    """The public derivative made at publication, if this upload went public."""
    if kind == "photo":
        found = PublicFile.objects.filter(kind=PublicFile.Kind.PHOTO, entry__case__person_id=pk)
    elif kind == "source":
        found = PublicFile.objects.filter(kind=PublicFile.Kind.SOURCE, source_id=pk)
    else:
        # Testimony files (a relative's voice, face or letter) never go public.
        return None
    return found.first()


def _response(data, content_type, filename, *, as_attachment, public):
    response = FileResponse(
        io.BytesIO(data),
        content_type=content_type,
        as_attachment=as_attachment,
        filename=filename,
    )
    # A PDF may carry script: never run anything from an upload in the site's origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    # Even a public file must not outlive a withdrawal of consent in a shared cache (a proxy
    # or CDN keeping it for an hour): caches may store it but must ask again before reuse.
    response["Cache-Control"] = "public, no-cache" if public else "private, no-store"
    return response


def public_file_response(public_file: PublicFile):
    """A public derivative, as the public gets it."""
    with public_file.file.open("rb") as handle:
        data = handle.read()
    extension = public_file.file.name.rsplit(".", 1)[-1]
    return _response(
        data,
        public_file.content_type,
        f"{public_file.kind}-{public_file.pk}.{extension}",
        as_attachment=not public_file.content_type.startswith("image/"),
        public=True,
    )


def serve_upload(request, kind, pk):
    """One stored file, to whoever may see it; a 404 for everyone else (it does not say whether
    the file exists). Staff of the case's group get the upload as it came in; the public gets
    only a derivative made at publication (cases.public.derivatives), while the entry is public.
    """
    field_file, owner = _original(kind, pk)
    if field_file and _may_see(request.user, owner):
        data = read_all(field_file.open("rb"))
        try:
            found = detect(data, images=True, documents=True, media=True)
        except ValidationError:
            # Stored before these checks existed: hand it out as an opaque download only.
            found = FileType("application/octet-stream", "bin")
        return _response(
            data,
            found.content_type,
            f"{kind}-{pk}.{found.extension}",
            as_attachment=not found.is_image,
            public=False,
        )
    public_file = _public_file(kind, pk)
    if public_file is None:
        raise Http404
    return public_file_response(public_file)


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
