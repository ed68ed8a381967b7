"""The articles' review due dates in the search index (overdue articles rank slightly lower)."""

from django.db import migrations, models


def fill_review_due(apps, schema_editor):
    # Documents indexed before this migration: their article's due date, without a reindex.
    SearchDocument = apps.get_model("search", "SearchDocument")
    ArticlePage = apps.get_model("kb", "ArticlePage")
    due = dict(
        ArticlePage.objects.exclude(review_due=None).values_list("page_ptr_id", "review_due")
    )
    rows = list(SearchDocument.objects.filter(kind="article", object_id__in=list(due)))
    for row in rows:
        row.review_due = due[row.object_id]
    SearchDocument.objects.bulk_update(rows, ["review_due"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0008_review_cycle_and_owners"),
        ("search", "0009_chief_search_promotions"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="review_due",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill_review_due, migrations.RunPython.noop),
    ]
