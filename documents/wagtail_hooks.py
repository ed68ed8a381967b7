"""Documents admin: the text status in the listing and on the edit page, "Text neu lesen"."""

from __future__ import annotations

from django.urls import path
from wagtail import hooks

from . import admin_views


# Wagtail registers its document views as plain URLs (no viewset to extend), so the listing
# with the extra column takes the same addresses, ahead of Wagtail's (order=-1). Every other
# document view (add, edit, delete, usage, chooser) stays Wagtail's; the edit page's template
# (templates/wagtaildocs/documents/edit.html) adds the text panel.
@hooks.register("register_admin_urls", order=-1)
def register_document_listing_urls():
    return [
        path("documents/", admin_views.DocumentIndexView.as_view(), name="documents_text_index"),
        path(
            "documents/results/",
            admin_views.DocumentIndexView.as_view(results_only=True),
            name="documents_text_index_results",
        ),
        path(
            "documents/text/<int:document_id>/neu-lesen/",
            admin_views.reextract,
            name="documents_text_reextract",
        ),
    ]


@hooks.register("insert_global_admin_css")
def documents_admin_css() -> str:
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("documents/admin.css"))
