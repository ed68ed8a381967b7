"""The subscription pages: buttons, "Meine Abos", the mail's unsubscribe link, the Atom feed and
"Neu für mich" on the home page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage, City, TopicPage
from subscriptions.models import Delivery, Kind, SubscriberSettings, Subscription
from subscriptions.tokens import unsubscribe_token
from subscriptions.views import follow
from tests.test_subscriptions import TOPIC, publish_article, run, set_delivery

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def topic(demo_articles) -> TopicPage:
    return TopicPage.objects.get(title=TOPIC)


def private_topic(topic: TopicPage) -> TopicPage:
    restriction = PageViewRestriction.objects.create(
        page=topic, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    return topic


# --- buttons ------------------------------------------------------------------------------------


def test_subscribe_to_a_topic_on_its_page_and_end_it_again(staff_client, staff, topic):
    html = staff_client.get(topic.url).content.decode()
    assert "Themenfeld abonnieren" in html
    response = staff_client.post(
        "/abos/abonnieren/", {"kind": "topic", "target": topic.pk, "next": topic.url}
    )
    assert response.status_code == 302 and response["Location"] == topic.url
    assert Subscription.objects.filter(user=staff, kind="topic", topic=topic).count() == 1
    html = staff_client.get(topic.url).content.decode()
    assert "Sie haben dieses Themenfeld abonniert" in html
    assert "Abo beenden" in html

    # A second click keeps the one subscription.
    staff_client.post("/abos/abonnieren/", {"kind": "topic", "target": topic.pk})
    assert Subscription.objects.filter(user=staff).count() == 1

    staff_client.post("/abos/beenden/", {"kind": "topic", "target": topic.pk, "next": topic.url})
    assert not Subscription.objects.filter(user=staff).exists()
    assert "Themenfeld abonnieren" in staff_client.get(topic.url).content.decode()


def test_a_city_filter_offers_to_follow_the_whole_city(staff_client, staff, topic):
    sundern = City.objects.get(name="Sundern")
    url = f"{topic.url}?city={sundern.slug}"
    html = staff_client.get(url).content.decode()
    assert "Alle Beiträge aus Sundern abonnieren" in html
    # Hint and "Meine Abos" link once, at the topic's own button.
    assert html.count("Neu für mich“.") == 1
    assert (
        "Alle Beiträge aus Sundern abonnieren" not in staff_client.get(topic.url).content.decode()
    )

    staff_client.post("/abos/abonnieren/", {"kind": "city", "target": sundern.pk, "next": url})
    assert Subscription.objects.filter(user=staff, kind="city", city=sundern).count() == 1
    assert "Sie haben alle Beiträge aus Sundern abonniert" in staff_client.get(url).content.decode()


def test_article_button_is_an_item_of_the_article_actions(staff_client, staff, demo_articles):
    article = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    html = staff_client.get(article.url).content.decode()
    actions = re.search(r'<ul class="article__actions".*?</ul>', html, re.S).group(0)
    assert ">Abonnieren</button>" in actions
    staff_client.post("/abos/abonnieren/", {"kind": "article", "target": article.pk})
    html = staff_client.get(article.url).content.decode()
    actions = re.search(r'<ul class="article__actions".*?</ul>', html, re.S).group(0)
    assert ">Abo beenden</button>" in actions


def test_tag_page_has_the_button(staff_client, staff, demo_articles):
    html = staff_client.get("/tags/hitze/").content.decode()
    assert "Schlagwort abonnieren" in html
    tag_id = re.search(r'name="target" value="(\d+)"', html).group(1)
    staff_client.post("/abos/abonnieren/", {"kind": "tag", "target": tag_id})
    assert Subscription.objects.get(user=staff).tag.slug == "hitze"


def test_a_target_the_user_may_not_see_is_a_404(staff_client, staff, topic, chief):
    private_topic(topic)
    article = publish_article(topic, "Vertraulich", author=chief)
    for kind, target in (("topic", topic.pk), ("article", article.pk), ("tag", 999999)):
        response = staff_client.post("/abos/abonnieren/", {"kind": kind, "target": target})
        assert response.status_code == 404, kind
    for data in ({"kind": "nonsense", "target": 1}, {"kind": "city", "target": "x"}):
        assert staff_client.post("/abos/abonnieren/", data).status_code == 404
    assert not Subscription.objects.exists()


def test_the_next_parameter_never_leaves_the_site(staff_client, topic):
    response = staff_client.post(
        "/abos/abonnieren/",
        {"kind": "topic", "target": topic.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/abos/"


# --- Meine Abos ---------------------------------------------------------------------------------


def test_meine_abos_lists_by_kind_and_manages_cities_delivery(staff_client, staff, topic):
    follow(staff, Kind.TOPIC, topic)
    html = staff_client.get("/abos/").content.decode()
    assert "<h1>Meine Abos</h1>" in html
    assert "Themenfelder" in html and topic.title in html
    assert 'value="woechentlich" checked' in html
    assert 'href="/abos/"' in staff_client.get("/").content.decode()  # the navigation

    sundern = City.objects.get(name="Sundern")
    staff_client.post("/abos/abonnieren/", {"kind": "city", "target": sundern.pk})
    staff_client.post("/abos/abonnieren/", {"kind": "other_cities"})
    response = staff_client.post("/abos/zustellung/", {"delivery": "taeglich"})
    assert response.status_code == 302
    html = staff_client.get("/abos/").content.decode()
    assert "Städte" in html and "Sundern" in html
    assert "Aus den anderen Städten" in html
    assert 'value="taeglich" checked' in html
    assert SubscriberSettings.objects.get(user=staff).delivery == Delivery.DAILY

    staff_client.post("/abos/zustellung/", {"delivery": "stündlich"})
    assert SubscriberSettings.objects.get(user=staff).delivery == Delivery.DAILY

    staff_client.post("/abos/beenden/", {"kind": "other_cities", "target": ""})
    assert not Subscription.objects.filter(user=staff, kind="other_cities").exists()


def test_meine_abos_requires_login(client):
    response = client.get("/abos/")
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


# --- the unsubscribe link -----------------------------------------------------------------------


def test_unsubscribe_link_from_the_mail_works_without_login_and_can_be_undone(
    smtp_server, staff, chief, topic
):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.IMMEDIATE)
    publish_article(topic, "Hochwasser-Checkliste", author=chief)
    run()
    [mail] = smtp_server.mails
    link = re.search(rf"- Themenfeld: {TOPIC}: (http\S+)", mail.text).group(1)
    path = link.removeprefix("http://127.0.0.1:8000")

    anonymous = Client()
    response = anonymous.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Abo beendet" in html and "Rückgängig machen" in html
    assert not Subscription.objects.filter(user=staff).exists()

    # Clicking twice is fine.
    assert "bereits beendet" in anonymous.get(path).content.decode()

    response = anonymous.post(path, {"action": "undo"})
    assert "Abo wiederhergestellt" in response.content.decode()
    assert Subscription.objects.filter(user=staff, kind="topic", topic=topic).exists()


def test_unsubscribe_all_and_one_click_post(staff, topic):
    follow(staff, Kind.TOPIC, topic)
    follow(staff, Kind.OTHER_CITIES, None)
    path = f"/abos/abbestellen/{unsubscribe_token(staff.pk, 'all')}/"
    # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", without cookies.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Alle Abos beendet" in response.content.decode()
    assert not Subscription.objects.filter(user=staff).exists()


def test_a_forged_unsubscribe_link_is_a_clear_400(staff, topic):
    follow(staff, Kind.TOPIC, topic)
    token = unsubscribe_token(staff.pk, "topic", topic.pk)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    other_salt = __import__("django.core.signing").core.signing.dumps([staff.pk, "all", None])
    for bad in (forged, other_salt, "kaputt", "x" * 300):
        response = Client().get(f"/abos/abbestellen/{bad}/")
        assert response.status_code == 400, bad
        assert "Dieser Abmelde-Link ist ungültig" in response.content.decode()
    assert Subscription.objects.filter(user=staff).exists()


# --- the feed -----------------------------------------------------------------------------------


def new_feed_url(client) -> str:
    client.post("/abos/feed-adresse/", {"action": "new"})
    html = client.get("/abos/").content.decode()
    return re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', html).group(1)


def test_feed_token_right_wrong_revoked(staff_client, staff, chief, topic):
    follow(staff, Kind.TOPIC, topic)
    publish_article(topic, "Feed-Beitrag", author=chief)
    url = new_feed_url(staff_client)
    path = url.removeprefix("http://testserver")
    token = path.split("/")[-2]
    # Shown once only; stored hashed.
    assert token not in staff_client.get("/abos/").content.decode()
    row = SubscriberSettings.objects.get(user=staff)
    assert token.split(".", 1)[1] not in row.feed_token_hash and len(row.feed_token_hash) == 64

    topic_titles = set(ArticlePage.objects.child_of(topic).values_list("title", flat=True))
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    # Newest first; the demo articles of the topic (imported) come after.
    assert titles[0] == "Feed-Beitrag"
    assert all(t in topic_titles for t in titles[1:])

    user_id, secret = token.split(".", 1)
    wrong = [
        f"{user_id}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
        f"{int(user_id) + 1}.{secret}",
        secret,
        f"{user_id}.",
        "9" * 40 + "." + secret,
        "²." + secret,
    ]
    for bad in wrong:
        assert Client().get(f"/abos/feed/{bad}/").status_code == 404, bad

    # Renewed: the old address stops working.
    renewed = new_feed_url(staff_client).removeprefix("http://testserver")
    assert Client().get(path).status_code == 404
    assert Client().get(renewed).status_code == 200

    staff_client.post("/abos/feed-adresse/", {"action": "revoke"})
    assert Client().get(renewed).status_code == 404


def test_feed_entries_respect_view_restrictions_at_request_time(staff_client, staff, chief, topic):
    follow(staff, Kind.TOPIC, topic)
    publish_article(topic, "Erst offen", author=chief)
    path = new_feed_url(staff_client).removeprefix("http://testserver")
    assert b"Erst offen" in Client().get(path).content
    private_topic(topic)
    response = Client().get(path)
    assert response.status_code == 200 and b"Erst offen" not in response.content


# --- Neu für mich -------------------------------------------------------------------------------


def new_for_me(client) -> str:
    """The "Neu für mich" section of the home page ("" when there is none)."""
    html = client.get("/").content.decode()
    found = re.search(r'<section class="section new-for-me".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_neu_fuer_mich_shows_what_came_since_the_last_visit(client, staff, chief, topic):
    client.force_login(staff)
    html = client.get("/").content.decode()
    assert "Neu für mich" not in html
    assert "Tipp: Folgen Sie Themenfeldern" in html

    follow(staff, Kind.TOPIC, topic)
    publish_article(topic, "Neu seit dem Abo", author=chief)
    section = new_for_me(client)
    assert "Neu seit dem Abo" in section
    assert 'href="/abos/"' in section
    # A reload in the same session keeps the list.
    assert "Neu seit dem Abo" in new_for_me(client)

    # The next visit (a new session) starts after this one.
    client.logout()
    client.force_login(staff)
    section = new_for_me(client)
    assert "Neu seit dem Abo" not in section
    assert "nichts Neues erschienen" in section
    publish_article(topic, "Nach dem letzten Besuch", author=chief)
    assert "Nach dem letzten Besuch" in new_for_me(client)


def test_neu_fuer_mich_leaves_out_own_articles_and_private_ones(client, staff, chief, topic):
    other_topic = TopicPage.objects.exclude(pk=topic.pk).first()
    follow(staff, Kind.TOPIC, topic)
    follow(staff, Kind.TOPIC, other_topic)
    follow(chief, Kind.TOPIC, topic)
    publish_article(topic, "Von Charlotte", author=chief)
    private_topic(other_topic)
    publish_article(other_topic, "Hinter Verschluss", author=chief)

    client.force_login(staff)
    section = new_for_me(client)
    assert "Von Charlotte" in section and "Hinter Verschluss" not in section
    client.force_login(chief)
    section = new_for_me(client)
    assert section and "Von Charlotte" not in section and "Hinter Verschluss" not in section
