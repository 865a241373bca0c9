"""Root URLs: each app mounts its own urls module under a namespace."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mentoring import accessibility
from programs import views as program_views
from programs.urls import app_patterns

urlpatterns = [
    path("", program_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("toegankelijkheid/", accessibility.statement, name="accessibility_statement"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("people.urls")),
    path("", include("programs.urls")),
    path("", include((app_patterns, "programs"))),
    path("", include("programs.importing.urls")),
    path("", include("matching.urls")),
    path("", include("mentoring.pairs.urls")),
    path("", include("webinars.urls")),
    path("", include("mentoring.meetings.urls")),
    path("", include("mentoring.guides.urls")),
    path("", include("mentoring.privacy.urls")),
    path("", include("notifications.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
