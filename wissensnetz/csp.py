"""Content-Security-Policy for every response (django-csp), relaxed only for the Wagtail admin.

The reading site (everything outside /admin/) gets the strict policy from
settings.CONTENT_SECURITY_POLICY: scripts, styles, images, fonts and requests only from our
own origin, no inline scripts, no inline styles, no eval, no plugins, not framed by anyone.

The Wagtail admin (paths under /admin/ only) needs three additions, because Wagtail 8 itself
needs them (measured with tests/test_production_csp.py in chromium):

- script-src 'unsafe-inline': Wagtail renders inline initialiser scripts next to its widgets,
  e.g. `<script>new SnippetChooser("id_department", …)</script>` and
  `new PageChooser("id_counterpart", …)` (wagtail/admin/widgets/chooser.py, BaseChooser.render),
  `initDateChooser(…)`/`initDateTimeChooser(…)` (wagtailadmin/widgets/date_input.html etc.)
  for the article dates, "Veröffentlichung planen" and every listing's date filter, and
  `new InlinePanel(…)` in the promoted search results. They carry per-widget ids and options,
  so hashes cannot list them, and Wagtail gives them no nonce. Without this the page editor's
  choosers and date pickers do nothing.
- style-src 'unsafe-inline': the admin sets style attributes (progress bars, sidebar and comment
  positions, Draftail's toolbar).
- frame-ancestors 'self': admin views that the admin shows in a frame of its own (e.g. the
  StreamField block previews).

Wagtail's page previews are different: the preview views (/admin/pages/<id>/edit/preview/,
/admin/pages/add/…/preview/, the same for snippets) render the page through a dummy request
for the page's own URL that runs through the whole middleware chain
(PreviewableMixin.make_preview_request, marked request.is_preview). This middleware answers
that inner request first, with the reading site's policy, and the admin response keeps that
header: the preview is site content and stays as strict as the site. Only its frame-ancestors
follows what Wagtail decides about framing: where the preview view answers
X-Frame-Options: SAMEORIGIN (the editor's live preview panel), frame-ancestors is 'self';
where Wagtail leaves Django's DENY (e.g. a revision's preview, opened in a new tab), it stays
'none'. Every response outside /admin/ keeps frame-ancestors 'none' (and DENY).

Everything else stays as strict as on the site: no script, style, image, font or connection
from another origin (so an injected script could not load code from elsewhere or send data
anywhere but to us), no eval, no plugins, no <base> hijacking, forms post only to us.
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"
# Sources added to the site policy for the admin.
ADMIN_ADDITIONS: dict[str, list[str]] = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
}
# Directives replaced for the admin.
ADMIN_REPLACEMENTS: dict[str, list[str]] = {"frame-ancestors": [SELF]}
# Directives replaced for a page preview that Wagtail lets its editor frame (SAMEORIGIN).
FRAMED_PREVIEW_REPLACEMENTS: dict[str, list[str]] = {"frame-ancestors": [SELF]}
# Attribute of a preview response: its policy as it is when the editor may frame it.
FRAMED_PREVIEW_POLICY = "_wissensnetz_framed_preview_csp"


def is_wagtail_preview(request: HttpRequest) -> bool:
    """The dummy request through which Wagtail renders a preview (never a client's request)."""
    return getattr(request, "is_preview", False) is True


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware plus the admin's relaxations and the preview rule above."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if is_wagtail_preview(request):
            # The inner pass: the site policy is set; keep its framable variant for the outer.
            if HEADER in response and getattr(settings, "CONTENT_SECURITY_POLICY", None):
                parts = self.get_policy_parts(request, response)
                parts.replace = {**(parts.replace or {}), **FRAMED_PREVIEW_REPLACEMENTS}
                setattr(response, FRAMED_PREVIEW_POLICY, build_policy(**asdict(parts)))
            return response
        # The outer pass (the admin's preview view): X-Frame-Options is final here, because
        # XFrameOptionsMiddleware sits after this middleware.
        framed_policy = getattr(response, FRAMED_PREVIEW_POLICY, None)
        if framed_policy and response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            response[HEADER] = framed_policy
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            report_only
            or not getattr(settings, "CONTENT_SECURITY_POLICY", None)
            or not request.path_info.startswith(ADMIN_PREFIX)
        ):
            return parts
        update = {key: list(value) for key, value in (parts.update or {}).items()}
        for directive, sources in ADMIN_ADDITIONS.items():
            current = update.setdefault(directive, [])
            current += [source for source in sources if source not in current]
        parts.update = update
        parts.replace = {**ADMIN_REPLACEMENTS, **(parts.replace or {})}
        return parts
