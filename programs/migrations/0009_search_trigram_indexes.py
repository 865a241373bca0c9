from django.db import migrations

from people.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("programs", "0008_schoolcoach"), ("people", "0004_search_trigram_indexes")]

    operations = [trigram_indexes("programs_school", ["name", "place"])]
