from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organizations")

    def ready(self):
        # Connects the audit log to sign-ins and role changes.
        from orgs import audit, checks  # noqa: F401
