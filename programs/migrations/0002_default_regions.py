"""The twelve provinces as the default regions."""

from django.db import migrations

PROVINCES = [
    "Groningen",
    "Fryslân",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg",
]


def create_regions(apps, schema_editor):
    Region = apps.get_model("programs", "Region")
    for order, name in enumerate(PROVINCES):
        Region.objects.get_or_create(name=name, defaults={"provinces": [name], "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(create_regions, migrations.RunPython.noop)]
