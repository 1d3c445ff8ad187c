"""Feeding a model instance to the checks, which take plain mappings of field names."""

from django.db import models


def record_data(instance: models.Model) -> dict:
    """The concrete field values of ``instance``: foreign keys by their id (``province`` → ``"110000"``), so no
    related row is loaded. Works for the filed records and for application rows built on the same field sets."""
    return {field.name: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
