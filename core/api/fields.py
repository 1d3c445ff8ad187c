"""Serializer fields the API's inputs share."""

import unicodedata

from rest_framework import serializers

# Ids the database can hold on every backend (SQLite and PostgreSQL bigint): anything larger is not found, never an
# overflow.
MAX_ID = 2**62


def IdField(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class FoldedCharField(serializers.CharField):
    """Text the services store folded (NFKC: full-width to half-width, ligatures spelled out): its folded form must
    fit ``max_length`` too, or a short input could become too long for its column."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if self.max_length is not None and len(unicodedata.normalize("NFKC", value)) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return value
