"""Import pages (schools, schoolleiders, expertcoaches)."""

app_name = "imports"

urlpatterns: list = []
