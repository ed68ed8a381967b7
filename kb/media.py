"""Uploaded files (images and their renditions) only for logged-in users, in every environment.

Mounted at MEDIA_URL in wissensnetz/urls.py. LoginRequiredMiddleware already sends anonymous
visitors to the login page; the view itself also insists on a login, so it stays protected even
if it is mounted elsewhere. Documents are not served here: they go through Wagtail's document
view (/documents/<id>/<name>), which also applies collection privacy.

With MEDIA_ACCEL_REDIRECT_PREFIX set (e.g. "/protected-media/"), Django only checks the login
and the path and answers with an X-Accel-Redirect header; nginx then sends the file from an
`internal` location that maps the prefix to MEDIA_ROOT.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

# Served by Wagtail's document view (permission checks, collection privacy), never raw.
BLOCKED_TOP_LEVEL = {"documents"}
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


@require_safe
@login_required
def protected_media(request: HttpRequest, path: str) -> HttpResponse:
    target, relative = resolve_media_path(path)
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
    response["X-Content-Type-Options"] = "nosniff"
    # Private files: browsers may cache them, shared proxies must not.
    response["Cache-Control"] = "private, max-age=3600"
    return response
