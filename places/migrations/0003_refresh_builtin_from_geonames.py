"""Refresh the built-in Postcode rows from the rebuilt CSV: every PC4 GeoNames lists now has
its own position, province and municipality (see places/build_geonames.py). Rows loaded from
a GeoNames export by ``load_postcodes`` (source "geonames") are left alone."""

from django.db import migrations


def refresh_builtin(apps, schema_editor):
    from places.builtin import read_builtin

    Postcode = apps.get_model("places", "Postcode")
    db = schema_editor.connection.alias
    rows = {row["pc4"]: row for row in read_builtin()}
    existing = {p.pc4: p for p in Postcode.objects.using(db).all()}
    changed, new = [], []
    for pc4, row in rows.items():
        values = {
            "place": row["place"],
            "municipality": row["municipality"],
            "province": row["province"],
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
        }
        current = existing.get(pc4)
        if current is None:
            new.append(Postcode(pc4=pc4, source="builtin", **values))
        elif current.source == "builtin":
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
    Postcode.objects.using(db).bulk_update(
        changed, ["place", "municipality", "province", "lat", "lon"], batch_size=1000
    )
    Postcode.objects.using(db).bulk_create(new, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("places", "0002_load_builtin")]

    operations = [migrations.RunPython(refresh_builtin, migrations.RunPython.noop, elidable=False)]
