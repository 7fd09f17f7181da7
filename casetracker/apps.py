from django.apps import AppConfig


class CasetrackerConfig(AppConfig):
    name = "casetracker"
    verbose_name = "casetracker"
