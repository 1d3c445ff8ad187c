from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MiitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "miit"
    verbose_name = _("Administration (simulated)")
