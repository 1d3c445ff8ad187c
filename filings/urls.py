"""Each views module declares its own ``urlpatterns``; this module joins those that exist."""

import importlib

app_name = "filings"

urlpatterns = []
_MODULES = (
    "start",
    "wizard",
    "materials",
    "orders",
    "records",
    "photos",
    "lifecycle",
    "website",
    "identity",
    "callbacks",
)
for _module in _MODULES:
    try:
        urlpatterns += importlib.import_module(f"filings.views.{_module}").urlpatterns
    except ModuleNotFoundError as exc:
        if exc.name != f"filings.views.{_module}":
            raise
