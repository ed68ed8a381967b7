"""Municipal law abbreviations with their full names, and word variants staff write alike.

Editors maintain these groups in the admin (Snippets → Synonymgruppen) like the first list
(0002): this migration only adds what is missing and, reversed, removes exactly what it added.
"""

from django.db import migrations

NOTE_LAW = "Rechtsgrundlage (Abkürzung und voller Name)"
LAWS = [
    "BauGB, Baugesetzbuch",
    "BauNVO, Baunutzungsverordnung",
    "BauO NRW, BauO, Landesbauordnung, Bauordnung NRW",
    "KiBiz, Kinderbildungsgesetz",
    "SGB VIII, Kinder- und Jugendhilfegesetz, KJHG, Kinder- und Jugendhilferecht",
    "SGB II, Grundsicherung für Arbeitsuchende, Bürgergeld",
    "SGB XII, Sozialhilfe",
    "AufenthG, Aufenthaltsgesetz",
    "AsylbLG, Asylbewerberleistungsgesetz",
    "GO NRW, Gemeindeordnung",
    "OZG, Onlinezugangsgesetz",
    "DS-GVO, DSGVO, Datenschutz-Grundverordnung, Datenschutzgrundverordnung",
    "KWP, kommunale Wärmeplanung, Wärmeplanung",
    "WPG, Wärmeplanungsgesetz",
    "GEG, Gebäudeenergiegesetz",
    "EEG, Erneuerbare-Energien-Gesetz",
    "VwVfG, Verwaltungsverfahrensgesetz",
    "KAG, Kommunalabgabengesetz",
    "IfSG, Infektionsschutzgesetz",
    "BHKG, Brandschutz- und Hilfeleistungsgesetz",
    "StVO, Straßenverkehrsordnung",
    "TVöD, Tarifvertrag für den öffentlichen Dienst",
    "UVgO, Unterschwellenvergabeordnung",
    "VOB, Vergabe- und Vertragsordnung für Bauleistungen",
    "BImSchG, Bundes-Immissionsschutzgesetz, Immissionsschutzgesetz",
    "LWG, Landeswassergesetz",
    "DSG NRW, Datenschutzgesetz NRW",
]
NOTE_VARIANT = "Schreibvarianten und gleichbedeutende Personenbezeichnungen"
VARIANTS = [
    "Str., Straße",
    "Fotovoltaik, Photovoltaik",
    "Studierende, Studenten",
    "Lehrkräfte, Lehrer",
]
GROUPS = [(terms, NOTE_LAW) for terms in LAWS] + [(terms, NOTE_VARIANT) for terms in VARIANTS]


def add_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})
    _bump_index_version(apps)


def remove_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.filter(terms=terms, note=note).delete()
    _bump_index_version(apps)


def _bump_index_version(apps):
    # Running processes cache the synonym list per index version.
    import uuid

    IndexState = apps.get_model("search", "IndexState")
    IndexState.objects.filter(pk=1).update(version=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_posting_storage")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
