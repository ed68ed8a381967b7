"""The subscription pages: subscribe/unsubscribe buttons, "Meine Abos", the mail's unsubscribe
link (works without login) and the feed token. Every change is a plain POST form with a
redirect, so all of it works without JavaScript."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from taggit.models import Tag

from cooperation.models import WorkingGroupPage
from kb.collation import by_name
from kb.listings import exclude_restricted, user_city, visible_article_pages
from kb.models import ArticlePage, City, TopicPage

from .delivery import settings_for
from .models import TARGET_FIELDS, Delivery, Kind, SubscriberSettings, Subscription
from .tokens import ALL, new_feed_token, read_unsubscribe_token, revoke_feed_token

KIND_HEADINGS = {
    Kind.TOPIC: "Themenfelder",
    Kind.CITY: "Städte",
    Kind.TAG: "Schlagwörter",
    Kind.ARTICLE: "Einzelne Beiträge",
    Kind.GROUP: "Arbeitsgruppen",
    Kind.OTHER_CITIES: "Aus den anderen Städten",
}
FEED_TOKEN_SESSION_KEY = "subscriptions_new_feed_token"


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _target_id(request: HttpRequest) -> int | None:
    raw = (request.POST.get("target") or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def readable_target(request: HttpRequest, kind: str, target_id: int | None):
    """The target of a new subscription if this user may see it; 404 otherwise (a private
    section, a tag used only on drafts or private pages, a target that does not exist)."""
    if kind == Kind.OTHER_CITIES:
        return None
    if kind not in TARGET_FIELDS or target_id is None:
        raise Http404("Unbekanntes Abo")
    if kind == Kind.TOPIC:
        found = exclude_restricted(TopicPage.objects.live(), request).filter(pk=target_id)
    elif kind == Kind.ARTICLE:
        found = visible_article_pages(request).filter(pk=target_id)
    elif kind == Kind.CITY:
        found = City.objects.filter(pk=target_id)
    elif kind == Kind.GROUP:
        found = exclude_restricted(WorkingGroupPage.objects.live(), request).filter(pk=target_id)
    else:
        found = Tag.objects.filter(
            pk=target_id,
            kb_articlepagetag_items__content_object__in=visible_article_pages(request),
        )
    target = found.first()
    if target is None:
        raise Http404("Unbekanntes Abo")
    return target


def follow(user, kind: str, target) -> Subscription:
    """Subscribe (idempotent: a second click, or a race, keeps the one subscription)."""
    settings_for(user)
    fields = {TARGET_FIELDS[kind]: target} if kind in TARGET_FIELDS else {}
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.get_or_create(user=user, kind=kind, **fields)
    except IntegrityError:
        subscription = Subscription.objects.get(user=user, kind=kind, **fields)
    return subscription


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    target = readable_target(request, kind, _target_id(request))
    subscription = follow(request.user, kind, target)
    messages.success(request, f"Abonniert – {subscription}. Sie erhalten Neues per E-Mail.")
    return redirect(_next_url(request, reverse("subscriptions:manage")))


@require_POST
def unsubscribe(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in Kind.values:
        raise Http404("Unbekanntes Abo")
    found = Subscription.objects.filter(user=request.user, kind=kind)
    if kind in TARGET_FIELDS:
        found = found.filter(**{f"{TARGET_FIELDS[kind]}_id": _target_id(request)})
    subscription = found.first()
    if subscription is not None:
        label = str(subscription)
        subscription.delete()
        messages.success(request, f"Abo beendet – {label}.")
    return redirect(_next_url(request, reverse("subscriptions:manage")))


def manage(request: HttpRequest) -> HttpResponse:
    """Meine Abos: every subscription by kind, adding a city or "the other cities", the
    delivery choice and the personal feed."""
    row = SubscriberSettings.objects.filter(user=request.user).first()
    subscriptions = list(
        Subscription.objects.filter(user=request.user).select_related(
            "topic", "city", "tag", "article", "group"
        )
    )
    groups: dict[str, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        groups[subscription.kind].append(subscription)
    cities = by_name(City.objects.all())
    followed_cities = {s.city_id for s in groups[Kind.CITY]}
    own_city = user_city(request, cities)
    return render(
        request,
        "subscriptions/manage.html",
        {
            "groups": [
                {"kind": kind, "heading": KIND_HEADINGS[kind], "items": groups[kind]}
                for kind in KIND_HEADINGS
                if groups[kind]
            ],
            "has_subscriptions": bool(subscriptions),
            "follows_others": bool(groups[Kind.OTHER_CITIES]),
            "addable_cities": [city for city in cities if city.pk not in followed_cities],
            "own_city": own_city,
            "delivery": row.delivery if row else Delivery.WEEKLY,
            "delivery_choices": Delivery.choices,
            "feed_active": bool(row and row.feed_token_hash),
            "feed_created": row.feed_token_created if row else None,
            "new_feed_url": _pop_new_feed_url(request),
            "kinds": Kind,
        },
    )


def _pop_new_feed_url(request: HttpRequest) -> str:
    token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    if not token:
        return ""
    return request.build_absolute_uri(reverse("subscriptions:feed", args=[token]))


@require_POST
def set_delivery(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("delivery", "")
    if value not in Delivery.values:
        messages.error(request, "Bitte wählen Sie, wie oft Sie benachrichtigt werden möchten.")
        return redirect("subscriptions:manage")
    row = settings_for(request.user)
    SubscriberSettings.objects.filter(pk=row.pk).update(delivery=value)
    messages.success(request, f"Gespeichert: {Delivery(value).label}.")
    return redirect("subscriptions:manage")


@require_POST
def feed_token(request: HttpRequest) -> HttpResponse:
    row = settings_for(request.user)
    if request.POST.get("action") == "revoke":
        revoke_feed_token(row)
        messages.success(request, "Feed-Adresse gesperrt. Feed-Reader erhalten nichts mehr.")
    else:
        request.session[FEED_TOKEN_SESSION_KEY] = new_feed_token(row)
        messages.success(
            request,
            "Neue Feed-Adresse erstellt. Sie wird nur jetzt angezeigt; "
            "eine frühere gilt nicht mehr.",
        )
    return redirect(reverse("subscriptions:manage") + "#feed")


# --- the mail's unsubscribe link ----------------------------------------------------------------


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/unsubscribe_invalid.html", status=400)


def _restore(user, items: list[tuple[str, int | None]]) -> None:
    models = {
        "topic": TopicPage,
        "city": City,
        "tag": Tag,
        "article": ArticlePage,
        "group": WorkingGroupPage,
    }
    for kind, target_id in items:
        if kind not in Kind.values:
            continue
        if kind in TARGET_FIELDS:
            target = models[kind].objects.filter(pk=target_id).first()
            if target is None:
                continue
            follow(user, kind, target)
        else:
            follow(user, kind, None)


@login_not_required
@csrf_exempt  # the signed token is the authorisation; mail clients post RFC 8058 one-click
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the e-mail: unsubscribe (GET, or a mail client's one-click POST), then a
    confirmation with "Rückgängig machen"."""
    decoded = read_unsubscribe_token(token)
    if decoded is None:
        return _bad_link(request)
    user_id, kind, target_id = decoded
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or (kind != ALL and kind not in Kind.values):
        return _bad_link(request)
    found = Subscription.objects.filter(user=user)
    if kind != ALL:
        found = found.filter(kind=kind)
        if kind in TARGET_FIELDS:
            found = found.filter(**{f"{TARGET_FIELDS[kind]}_id": target_id})
    if request.method == "POST" and request.POST.get("action") == "undo":
        items = [(kind, target_id)] if kind != ALL else request.session.pop(_undo_key(token), [])
        _restore(user, [tuple(item) for item in items])
        return render(request, "subscriptions/unsubscribe_done.html", {"restored": True})
    removed = list(found.select_related("topic", "city", "tag", "article", "group"))
    labels = [str(s) for s in removed]
    if kind == ALL and removed:
        # "Rückgängig" for all: what was removed, kept in this browser's session only.
        request.session[_undo_key(token)] = [[s.kind, s.target_id] for s in removed]
    found.delete()
    return render(
        request,
        "subscriptions/unsubscribe_done.html",
        {
            "restored": False,
            "labels": labels,
            "all": kind == ALL,
            "token": token,
            "can_undo": kind != ALL or bool(removed),
        },
    )


def _undo_key(token: str) -> str:
    return "subscriptions_undo_" + hashlib.sha256(token.encode()).hexdigest()[:16]
