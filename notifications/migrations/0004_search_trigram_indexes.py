from django.db import migrations

from people.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_outbox_list_indexes"),
        ("people", "0004_search_trigram_indexes"),
    ]

    operations = [trigram_indexes("notifications_notification", ["to_email", "subject"])]
