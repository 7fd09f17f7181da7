from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # Audit log (consent, publication) and upload checks hang on model signals.
        from cases import signals, stored_files, uploads

        signals.connect()
        uploads.connect()
        stored_files.connect()
