from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # The export log's admin lives beside the exports, apart from cases/admin.py.
        from cases import admin_exports  # noqa: F401
