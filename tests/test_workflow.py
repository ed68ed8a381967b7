"""Editors write and submit; only the Chefredaktion's approval makes an article visible to staff."""

import pytest
from wagtail.models import Workflow

from kb.models import ArticlePage, TopicPage
from tests.admin_forms import article_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(demo_articles) -> TopicPage:
    return TopicPage.objects.get(title="Krisenmanagement")


def admin_post(client, url, data):
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    return response


def test_review_workflow_is_assigned_to_the_knowledge_tree(topic):
    workflow = topic.get_workflow()
    assert workflow is not None and workflow.name == "Fachliche Freigabe"
    assert Workflow.objects.filter(active=True).count() == 1


def test_editor_submission_is_published_only_after_chief_approval(
    client, editor, chief, staff, topic
):
    client.force_login(editor)
    add_url = f"/admin/pages/add/kb/articlepage/{topic.pk}/"
    assert client.get(add_url).status_code == 200
    admin_post(
        client, add_url, article_form("Sirenenprobe", "sirenenprobe", **{"action-submit": "1"})
    )
    page = ArticlePage.objects.get(slug="sirenenprobe")
    assert not page.live
    assert page.current_workflow_state is not None
    assert page.current_workflow_state.status == "in_progress"

    # Editors cannot publish directly: the publish action is refused.
    admin_post(
        client,
        f"/admin/pages/{page.pk}/edit/",
        article_form("Sirenenprobe", "sirenenprobe", **{"action-publish": "1"}),
    )
    page.refresh_from_db()
    assert not page.live

    client.force_login(staff)
    assert client.get(page.url or "/krisenmanagement/sirenenprobe/").status_code == 404
    assert "Sirenenprobe" not in client.get(topic.url).content.decode()

    client.force_login(chief)
    task_state = page.current_workflow_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "passt"}
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live

    client.force_login(staff)
    assert client.get(page.url).status_code == 200
    assert "Sirenenprobe" in client.get(topic.url).content.decode()


def test_editors_of_one_city_may_edit_articles_of_the_other(editor, demo_articles):
    sundern_article = (
        ArticlePage.objects.filter(cities__name="Sundern").exclude(cities__name="Arnsberg").first()
    )
    perms = sundern_article.permissions_for_user(editor)
    assert perms.can_edit()
    assert not perms.can_publish()


def test_chief_can_publish(chief, demo_articles):
    article = ArticlePage.objects.first()
    assert article.permissions_for_user(chief).can_publish()


def test_staff_group_has_no_admin_access(staff):
    assert not staff.has_perm("wagtailadmin.access_admin")
