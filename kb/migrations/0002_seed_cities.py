from django.db import migrations

CITIES = [
    {"name": "Arnsberg", "slug": "arnsberg", "email_domain": "arnsberg.example", "color": "#1d4f91"},
    {"name": "Sundern", "slug": "sundern", "email_domain": "sundern.example", "color": "#2f6b2f"},
]


def seed_cities(apps, schema_editor):
    City = apps.get_model("kb", "City")
    for city in CITIES:
        City.objects.get_or_create(name=city["name"], defaults=city)


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_initial")]

    operations = [migrations.RunPython(seed_cities, migrations.RunPython.noop)]
