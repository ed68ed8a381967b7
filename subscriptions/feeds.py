"""The personal Atom feed: what is new in one's subscriptions, behind a secret token.

A feed reader has no session: the token in the URL names the user. Entries are decided when the
feed is requested, with that user's view restrictions (a section closed to them meanwhile, or an
unpublished article, drops out).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import PageViewRestriction

from kb.listings import attach_topics, city_of_user, restricted_paths_for_user
from kb.models import ArticlePage, City

from .matching import absolute_url, events_for_user, site_base
from .models import Reason, Subscription
from .tokens import settings_for_feed_token

FEED_ENTRIES = 30


class SubscriptionFeed(Feed):
    feed_type = Atom1Feed
    title = "Wissensnetz – Neues aus meinen Abos"
    subtitle = "Neu veröffentlichte und wesentlich geänderte Beiträge aus Ihren Abonnements."
    description = subtitle

    def get_object(self, request, token: str):
        row = settings_for_feed_token(token)
        if row is None or not row.user.is_active:
            raise Http404("Unbekannter Feed")
        return row.user

    def link(self, user) -> str:
        return site_base()[0] + "/abos/"

    def items(self, user) -> list[ArticlePage]:
        subscriptions = list(Subscription.objects.filter(user=user).select_related("topic"))
        restrictions = list(
            PageViewRestriction.objects.select_related("page").prefetch_related("groups")
        )
        found = events_for_user(
            user,
            subscriptions,
            city_of_user(user, City.objects.exclude(email_domain="")),
            restricted_paths_for_user(user, restrictions),
            limit=FEED_ENTRIES,
        )
        if not found:
            return []
        by_id = {
            page.pk: page
            for page in ArticlePage.objects.filter(pk__in=[pk for pk, _, _ in found])
            .defer_streamfields()
            .prefetch_related("cities")
        }
        base = site_base()
        items = []
        for pk, reason, created in found:
            page = by_id.get(pk)
            if page is None:
                continue
            page.event_reason, page.event_created = reason, created
            page.absolute_url = absolute_url(page.url_path, base)
            items.append(page)
        return attach_topics(items)

    def item_title(self, item: ArticlePage) -> str:
        prefix = "Wesentlich geändert: " if item.event_reason == Reason.CHANGED else ""
        return prefix + item.title

    def item_description(self, item: ArticlePage) -> str:
        cities = ", ".join(sorted(city.name for city in item.cities.all()))
        topic = item.topic_page.title if item.topic_page else ""
        head = " · ".join(part for part in (cities, topic) if part)
        return f"{head}: {item.summary}" if head else item.summary

    def item_link(self, item: ArticlePage) -> str:
        return item.absolute_url

    def item_guid(self, item: ArticlePage) -> str:
        return f"{item.absolute_url}#{item.event_reason}-{item.event_created.isoformat()}"

    def item_updateddate(self, item: ArticlePage):
        return item.event_created

    def item_pubdate(self, item: ArticlePage):
        return item.event_created


feed_view = login_not_required(SubscriptionFeed())
