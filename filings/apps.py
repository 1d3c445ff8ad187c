from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "filings"
    verbose_name = _("Filing orders")

    def ready(self):
        from accounts.userrow import read_with_account

        from .pagecache import PAGE_VERSION_ATTRIBUTE, page_version_subquery

        # The pages kept in the cache need the account's page version first: read with the account itself.
        read_with_account(PAGE_VERSION_ATTRIBUTE, page_version_subquery())
