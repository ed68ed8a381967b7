"""Signed unsubscribe links and the personal feed token.

Unsubscribe links carry (user, kind, target) signed with the project's SECRET_KEY under their own
salt: they work without logging in, for exactly that subscription (or "all"), and nothing else.
The feed token is "<user id>.<secret>"; only sha256(secret) is stored, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core import signing
from django.utils import timezone

from .models import SubscriberSettings

UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
ALL = "all"


def unsubscribe_token(user_id: int, kind: str, target_id: int | None = None) -> str:
    return signing.dumps([user_id, kind, target_id], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str, int | None] | None:
    """(user id, kind or "all", target id), or None for a forged, damaged or foreign token."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if not (isinstance(value, list) and len(value) == 3):
        return None
    user_id, kind, target_id = value
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    if target_id is not None and not isinstance(target_id, int):
        return None
    return user_id, kind, target_id


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_feed_token(settings_row: SubscriberSettings) -> str:
    """Create (or replace) the user's feed token; the clear token is returned only now."""
    secret = secrets.token_urlsafe(32)
    SubscriberSettings.objects.filter(pk=settings_row.pk).update(
        feed_token_hash=_digest(secret), feed_token_created=timezone.now()
    )
    return f"{settings_row.user_id}.{secret}"


def revoke_feed_token(settings_row: SubscriberSettings) -> None:
    SubscriberSettings.objects.filter(pk=settings_row.pk).update(
        feed_token_hash="", feed_token_created=None
    )


def settings_for_feed_token(token: str) -> SubscriberSettings | None:
    """The settings row whose token this is, or None (wrong, revoked or malformed)."""
    user_part, dot, secret = token.partition(".")
    if not (dot and secret and user_part.isascii() and user_part.isdigit()) or len(token) > 200:
        return None
    if len(user_part) > 12:
        return None
    row = (
        SubscriberSettings.objects.select_related("user")
        .filter(user_id=int(user_part))
        .exclude(feed_token_hash="")
        .first()
    )
    if row is None:
        # Hash anyway: a missing user answers no faster than a wrong secret.
        _digest(secret)
        return None
    if not hmac.compare_digest(_digest(secret), row.feed_token_hash):
        return None
    return row
