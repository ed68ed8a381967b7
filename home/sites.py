"""The default Wagtail Site follows WAGTAILADMIN_BASE_URL.

Wagtail builds absolute page links (``page.full_url``, e.g. "Sie können die Seite hier
anzeigen" in the approval mail) from the Site record, admin links in mails from
WAGTAILADMIN_BASE_URL. One setting is the single source of truth: after every ``migrate``
(post_migrate, see home/apps.py) and after a restore the default Site's host name and port are
set from it, so a mail never mixes two addresses and a restored backup of another installation
does not link to that one. Idempotent: an unchanged Site is not written.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

logger = logging.getLogger(__name__)


def site_address(base_url: str) -> tuple[str, int] | None:
    """Host name and port of a base URL, as Wagtail's Site stores them; None if unusable."""
    parts = urlsplit(base_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def sync_default_site(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Set the default Site's host name and port from WAGTAILADMIN_BASE_URL; True if changed."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    address = site_address(base_url)
    if address is None:
        logger.warning("WAGTAILADMIN_BASE_URL %r is no http(s) URL; Site unchanged.", base_url)
        return False
    try:
        Site = apps.get_model("wagtailcore", "Site")
    except LookupError:  # wagtailcore not migrated (yet)
        return False
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None:  # e.g. right after `flush`
        return False
    hostname, port = address
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    # A historical model sends no signal Wagtail listens to: drop its cached site paths.
    from wagtail.models import Site as WagtailSite

    WagtailSite.clear_site_root_paths_cache()
    parts = urlsplit(base_url)
    if (parts.scheme == "https" and port != 443) or parts.path.strip("/"):
        # Wagtail's Site.root_url knows https only on port 443 and no path prefix.
        logger.warning(
            "Page links in mails cannot follow WAGTAILADMIN_BASE_URL %r exactly "
            "(Wagtail sites know https only on port 443 and no path).",
            base_url,
        )
    logger.info("Default site set to %s:%s (WAGTAILADMIN_BASE_URL).", hostname, port)
    return True


def sync_default_site_after_migrate(sender, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver (home/apps.py)."""
    sync_default_site(apps=apps, using=using)
