from django.urls import path

from . import views

app_name = "privacy"

#: "Mijn gegevens": the page, the download and erasing the account.
my_data_patterns = [
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/download.json", views.my_data_download, name="my_data_download"),
    path("mijn-gegevens/verwijderen/", views.my_data_erase, name="my_data_erase"),
]

urlpatterns = [
    path("privacy/", views.statement, name="statement"),
    path("mijn-gegevens/wie-ziet-wat/", views.who_sees, name="who_sees"),
    path("mijn-gegevens/overzicht/", views.my_data_page, name="my_data_page"),
    *my_data_patterns,
]
