"""Uploaded files (images and their renditions) only for logged-in users, in every environment.

Mounted at MEDIA_URL in wissensnetz/urls.py. LoginRequiredMiddleware already sends anonymous
visitors to the login page; the view itself also insists on a login, so it stays protected even
if it is mounted elsewhere. Documents are not served here: they go through Wagtail's document
view (/documents/<id>/<name>), which also applies collection privacy; images in a collection with a
view restriction are served only to those who pass it, like documents.

With MEDIA_ACCEL_REDIRECT_PREFIX set (e.g. "/protected-media/"), Django only checks the login
and the path and answers with an X-Accel-Redirect header; nginx then sends the file from an
`internal` location that maps the prefix to MEDIA_ROOT.

Validators: ETag and Last-Modified come from the file's modification time and size (the ETag
in nginx's own format, so a tag nginx sent is recognised here), and a matching If-None-Match or
If-Modified-Since answers 304 — with the same private caching headers.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

# Served by Wagtail's document view (permission checks, collection privacy), never raw.
BLOCKED_TOP_LEVEL = {"documents", "handbook"}
# Only these are shown in the browser; everything else is offered as a download.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"}


def resolve_media_path(path: str) -> tuple[Path, str]:
    """The file under MEDIA_ROOT that `path` names, and its path relative to MEDIA_ROOT.

    Raises Http404 for anything that is not a regular file inside MEDIA_ROOT: traversal with
    "..", absolute paths, symbolic links that lead outside, hidden files and blocked folders."""
    if not path or "\x00" in path or "\\" in path:
        raise Http404("Datei nicht gefunden")
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        target = (root / path).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        raise Http404("Datei nicht gefunden") from None
    if not target.is_relative_to(root) or target == root or not target.is_file():
        raise Http404("Datei nicht gefunden")
    relative = target.relative_to(root)
    if relative.parts[0] in BLOCKED_TOP_LEVEL or any(p.startswith(".") for p in relative.parts):
        raise Http404("Datei nicht gefunden")
    return target, relative.as_posix()


def image_collection_allows(request: HttpRequest, relative: str) -> bool:
    """False if `relative` is an image (or a rendition of one) in a collection whose view
    restriction this request does not pass: collection privacy as Wagtail applies it to
    documents."""
    image_model = get_image_model()
    image = image_model.objects.filter(file=relative).select_related("collection").first()
    if image is None:
        rendition = (
            image_model.get_rendition_model()
            .objects.filter(file=relative)
            .select_related("image__collection")
            .first()
        )
        image = rendition.image if rendition else None
    if image is None:
        return True
    restrictions = CollectionViewRestriction.objects.filter(
        collection__in=image.collection.get_ancestors(inclusive=True)
    )
    return all(restriction.accept_request(request) for restriction in restrictions)


@require_safe
@login_required
def protected_media(request: HttpRequest, path: str) -> HttpResponse:
    target, relative = resolve_media_path(path)
    if not image_collection_allows(request, relative):
        raise Http404("Datei nicht gefunden")
    stat = target.stat()
    modified = int(stat.st_mtime)
    etag = f'"{modified:x}-{stat.st_size:x}"'
    validators = {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "X-Content-Type-Options": "nosniff",
        # Private files: browsers may cache them, shared proxies must not.
        "Cache-Control": "private, max-age=3600",
    }
    conditional = get_conditional_response(request, etag=etag, last_modified=modified)
    if conditional is not None:  # 304 Not Modified (or 412 for a failed If-Match)
        for header, value in validators.items():
            conditional[header] = value
        return conditional
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    as_attachment = content_type not in INLINE_TYPES
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(relative)
        if as_attachment:
            response["Content-Disposition"] = "attachment"
    else:
        response = FileResponse(
            target.open("rb"), content_type=content_type, as_attachment=as_attachment
        )
    for header, value in validators.items():
        response[header] = value
    return response
