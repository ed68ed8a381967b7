"""A starting list of synonym groups for municipal German; editors maintain it in the admin."""

from django.db import migrations

GROUPS = [
    ("Kita, Kindertagesstätte, Kindertageseinrichtung, Kindergarten", "Kinderbetreuung"),
    ("OGS, Offene Ganztagsschule, Offener Ganztag", "Schule"),
    ("B-Plan, Bebauungsplan", "Abkürzung Bauleitplanung"),
    ("F-Plan, FNP, Flächennutzungsplan", "Abkürzung Bauleitplanung"),
    ("Stromausfall, Blackout, Netzausfall", "Krisenmanagement"),
    (
        "Notfalltreffpunkt, Anlaufstelle, Katastrophenschutz-Leuchtturm, Notfallanlaufstelle",
        "Krisenmanagement: Orte für die Bevölkerung im Ereignisfall",
    ),
    ("Katastrophenschutz, Bevölkerungsschutz, Zivilschutz", "Krisenmanagement"),
    (
        "Geflüchtete, Flüchtlinge, Schutzsuchende, Menschen auf der Flucht, Asylsuchende",
        "Migration",
    ),
    ("Ausländerbehörde, Ausländeramt", "Migration"),
    ("E-Akte, elektronische Akte, digitale Akte", "Digitalisierung"),
    ("Photovoltaik, PV, Solaranlage, Solarstrom", "Energie"),
    ("Streetwork, Straßensozialarbeit, aufsuchende Jugendarbeit", "Jugendarbeit"),
    ("Jugendliche, junge Menschen, Heranwachsende", "Jugendarbeit"),
    ("Beteiligung, Partizipation, Mitwirkung", "Bürgerbeteiligung"),
    ("Mitarbeiter, Mitarbeitende, Beschäftigte, Personal", "Verwaltung"),
    ("Rente, Ruhestand, Pensionierung", "Personal"),
    ("Bürgerbüro, Bürgerservice, Bürgeramt, Einwohnermeldeamt", "Bürgerdienste"),
    ("Zuschuss, Förderung, Fördermittel, Zuwendung", "Finanzen"),
    ("Ehrenamt, Freiwilligenarbeit, bürgerschaftliches Engagement", "Engagement"),
    ("Bücherei, Bibliothek, Stadtbibliothek", "Kultur"),
    ("ÖPNV, Nahverkehr, Bus und Bahn", "Mobilität"),
    ("DSGVO, Datenschutz-Grundverordnung", "Datenschutz"),
    ("KI, künstliche Intelligenz", "Digitalisierung"),
    ("Homeoffice, mobiles Arbeiten, Telearbeit", "Personal"),
    ("Starkregen, Sturzflut, Unwetter", "Klimafolgen"),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
