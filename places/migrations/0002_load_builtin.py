"""Fill the Postcode table from the built-in CSV (places/data/pc4_builtin.csv)."""

from django.db import migrations


def load_builtin(apps, schema_editor):
    # Imported here, not at module level: the CSV reader is pure Python and needs no app
    # registry, but the migration module must stay importable without the data file.
    from places.builtin import read_builtin

    Postcode = apps.get_model("places", "Postcode")
    db = schema_editor.connection.alias
    existing = set(Postcode.objects.using(db).values_list("pc4", flat=True))
    Postcode.objects.using(db).bulk_create(
        [
            Postcode(
                pc4=row["pc4"],
                place=row["place"],
                municipality=row["municipality"],
                province=row["province"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                source="builtin",
            )
            for row in read_builtin()
            if row["pc4"] not in existing
        ],
        batch_size=1000,
    )


def unload_builtin(apps, schema_editor):
    Postcode = apps.get_model("places", "Postcode")
    Postcode.objects.using(schema_editor.connection.alias).filter(source="builtin").delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(load_builtin, unload_builtin, elidable=False)]
