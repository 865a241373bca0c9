from django.apps import AppConfig


class PeriodicConfig(AppConfig):
    """Periodic work in one place: a registry of jobs and their intervals, and one command
    (``manage.py run_periodic``) that cron runs every minute."""

    name = "mentoring.periodic"
    label = "periodic"
    verbose_name = "Periodic jobs"

    def ready(self) -> None:
        from django.conf import settings

        if "django_tasks_db" in settings.INSTALLED_APPS:
            from datetime import timedelta

            from django.core.management import call_command

            from .registry import register

            register(
                "tasks.prune_results",
                every=timedelta(days=1),
                run=lambda: call_command("prune_db_task_results", verbosity=0),
                help="Delete finished background-task rows older than 14 days",
            )
