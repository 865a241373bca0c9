from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.statement, name="statement"),
    path("mijn-gegevens/wie-ziet-wat/", views.who_sees, name="who_sees"),
    path("mijn-gegevens/overzicht/", views.my_data_page, name="my_data_page"),
]
