"""Where staff download the Notfallhandbuch (/notfallhandbuch/), and the admin's build action."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.views.decorators.http import require_safe

from .bundle import FILE_PREFIX, build_bundle, built_bundles, select_pages

BUILD_PERMISSION = "handbook.change_handbooksettings"


def _bundle_infos() -> list[dict]:
    infos = []
    for path in built_bundles():
        stat = path.stat()
        infos.append(
            {
                "name": path.name,
                "size": stat.st_size,
                "built_at": datetime.fromtimestamp(
                    stat.st_mtime, tz=timezone.get_current_timezone()
                ),
            }
        )
    return infos


@require_safe
@login_required
def download_page(request: HttpRequest) -> HttpResponse:
    """The latest bundle and the older versions kept, for every logged-in staff member."""
    bundles = _bundle_infos()
    return render(
        request,
        "handbook/download.html",
        {"latest": bundles[0] if bundles else None, "older": bundles[1:]},
    )


@require_safe
@login_required
def download(request: HttpRequest, name: str) -> FileResponse:
    # Only a file of the list: no path from the address reaches the file system.
    for path in built_bundles():
        if path.name == name and name.startswith(FILE_PREFIX):
            response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
            response["Cache-Control"] = "private, no-store"
            return response
    raise Http404("Diese Fassung des Notfallhandbuchs gibt es nicht (mehr).")


def admin_build(request: HttpRequest) -> HttpResponse:
    """Admin: what goes into the handbook, the bundles built, and "Notfallhandbuch erstellen"."""
    if not request.user.has_perm(BUILD_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        return _admin_build_post(request)
    entries, skipped = select_pages()
    return render(
        request,
        "handbook/admin/build.html",
        {"entries": entries, "skipped": skipped, "bundles": _bundle_infos()},
    )


def _admin_build_post(request: HttpRequest) -> HttpResponse:
    result = build_bundle()
    messages.success(
        request,
        f"Notfallhandbuch erstellt: {result.pages} Seiten, {filesizeformat(result.size)}, "
        f"in {result.seconds:.1f} s.",
    )
    return redirect("handbook_admin_build")
