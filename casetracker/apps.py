from django.apps import AppConfig


class CasetrackerConfig(AppConfig):
    name = "casetracker"
    verbose_name = "casetracker"

    def ready(self):
        # The sign-in slow-down counts failures from the auth signals.
        from casetracker.auth_backends import connect_signals

        connect_signals()
