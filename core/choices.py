"""Labels of Django's choices, for rows read as values."""

from django.db import models


def choice_label(choices: type[models.Choices], value: str) -> str:
    """The translated label of ``value``, or the value itself if it is not one of ``choices`` (as Django's
    ``get_FOO_display`` does, without building a dict of every translated choice on each call)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
