"""Facts in the demo content: what staff read there must be true."""

import pytest

from kb.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_the_2023_staedtetag_is_the_second_one(demo_articles):
    # The first joint Städtetag of Arnsberg and Sundern was 2022; 2023 in Sundern the second.
    article = ArticlePage.objects.get(slug="demo-staedtetag-2023-sundern")
    assert article.title.startswith("Zweiter gemeinsamer Städtetag")
    text = f"{article.title} {article.summary} {article.body_text()}"
    assert "ersten gemeinsamen Städtetag" not in text
    assert "2022" in article.summary
