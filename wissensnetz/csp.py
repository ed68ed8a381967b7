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
- frame-ancestors 'self': the live preview shows the page in a frame of the editor.

Everything else stays as strict as on the site: no script, style, image, font or connection
from another origin (so an injected script could not load code from elsewhere or send data
anywhere but to us), no eval, no plugins, no <base> hijacking, forms post only to us.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware plus the admin's relaxations described above."""

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
