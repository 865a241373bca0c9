from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the ``seed_demo`` command and the module composing the apps' demo steps.

    It sits above every other app (docs/architecture.md), because it uses all of them and
    none uses it.
    """

    name = "mentoring.demo"
    label = "demo"
    verbose_name = "Demo"
