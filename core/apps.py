import os

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # The embedded run keeps its state under var/: the filesystem broker needs its folders before the first
        # message, the file cache and private storage before the first write.
        folders = [settings.VAR_DIR]
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        folders += [options[key] for key in ("data_folder_in", "data_folder_out", "control_folder") if key in options]
        for folder in folders:
            os.makedirs(folder, exist_ok=True)
