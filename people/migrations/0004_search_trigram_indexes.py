from django.db import migrations

from people.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("people", "0003_form_submission")]

    operations = [trigram_indexes("people_user", ["first_name", "last_name", "email"])]
