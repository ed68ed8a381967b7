"""The accessibility statement (BITV NRW § 4) and its feedback form, under the home page.

Only what the law asks every statement to say, as a starting text for the Chefredaktion to
complete (state of compliance, known barriers, feedback, enforcement); nothing claimed beyond
what the project measures (axe-core in the test suite). Skipped when the page exists.
"""

from django.db import migrations
from django.utils import timezone
from wagtail.contrib.forms.utils import get_field_clean_name

STATEMENT = """
<p>Die beteiligten Stadtverwaltungen sind bemüht, das Wissensnetz im Einklang mit der
Barrierefreie-Informationstechnik-Verordnung Nordrhein-Westfalen (BITV NRW) barrierefrei
zugänglich zu machen. Diese Erklärung gilt für das Wissensnetz, das Intranet der
Stadtverwaltungen.</p>
<h2>Stand der Vereinbarkeit mit den Anforderungen</h2>
<p>Das Wissensnetz ist mit den Anforderungen der BITV NRW teilweise vereinbar. Die Leseseiten
(Startseite, Themenfelder, Beiträge, Schlagwörter, Suche, Anmeldung) werden bei jeder Änderung
automatisch mit axe-core nach den Regeln der WCAG 2.1, Stufen A und AA, geprüft, auf dem
Bildschirm und in der Breite eines Mobiltelefons. Eine vollständige Prüfung durch eine
unabhängige Stelle steht noch aus.</p>
<h2>Nicht barrierefreie Inhalte</h2>
<p>Hochgeladene Dokumente (z. B. PDF-Dateien) und Bilder stammen von vielen Autorinnen und
Autoren; nicht alle sind barrierefrei aufbereitet. Der Redaktionsbereich (Wagtail) wird vom
Hersteller auf Barrierefreiheit hin entwickelt, ist aber nicht Gegenstand dieser Prüfung.</p>
<h2>Erstellung dieser Erklärung</h2>
<p>Diese Erklärung beruht auf einer Selbstbewertung. Die Chefredaktion hält sie aktuell.</p>
<h2>Feedback und Kontakt</h2>
<p>Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten aufgefallen, oder benötigen Sie
einen Inhalt in einer anderen Form? Schreiben Sie uns über das Formular unten. Wir antworten
Ihnen so bald wie möglich.</p>
<h2>Durchsetzungsverfahren</h2>
<p>Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an
die Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen wenden.</p>
""".strip()

THANK_YOU = (
    "<p>Vielen Dank für Ihre Rückmeldung. Die Chefredaktion hat sie erhalten und meldet sich bei "
    "Ihnen, wenn Sie eine E-Mail-Adresse angegeben haben.</p>"
)

FIELDS = [
    # label, field type, required, help text
    ("Was ist Ihnen aufgefallen?", "multiline", True, "Bitte beschreiben Sie die Barriere."),
    (
        "Auf welcher Seite?",
        "singleline",
        False,
        "Die Adresse oder der Titel der Seite, wenn es um eine bestimmte Seite geht.",
    ),
    (
        "E-Mail-Adresse für eine Antwort",
        "email",
        False,
        "Nur wenn Sie eine Antwort an eine andere Adresse als die Ihres Kontos wünschen.",
    ),
]


def _next_child_path(Page, parent) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    steplen = 4
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-steplen:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
    return parent.path + digits.rjust(steplen, "0")


def create_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    AccessibilityPage = apps.get_model("home.AccessibilityPage")
    AccessibilityFormField = apps.get_model("home.AccessibilityFormField")
    # The historical model keeps Wagtail's FormMixin as a base, whose __init__ derives the
    # landing page template from `template`, an attribute historical models do not carry.
    AccessibilityPage.template = "home/accessibility_page.html"
    AccessibilityPage.landing_page_template = "home/accessibility_page_landing.html"
    if AccessibilityPage.objects.exists():
        return
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="home", model="accessibilitypage"
    )
    now = timezone.now()
    page = AccessibilityPage.objects.create(
        title="Erklärung zur Barrierefreiheit",
        draft_title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}barrierefreiheit/",
        locale_id=home.locale_id,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        intro=STATEMENT,
        thank_you_text=THANK_YOU,
        subject="Rückmeldung zur Barrierefreiheit des Wissensnetzes",
    )
    for order, (label, field_type, required, help_text) in enumerate(FIELDS):
        AccessibilityFormField.objects.create(
            page=page,
            sort_order=order,
            label=label,
            clean_name=get_field_clean_name(label),
            field_type=field_type,
            required=required,
            help_text=help_text,
        )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


def remove_page(apps, schema_editor):
    apps.get_model("home.AccessibilityPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0003_accessibility_page")]

    operations = [migrations.RunPython(create_page, remove_page)]
