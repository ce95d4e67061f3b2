"""Serializer fields shared by the apps' APIs."""

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, refusing what cannot be a slug before the lookup: a NUL character
    (PostgreSQL cannot compare text containing NUL and the query fails with a 500, issue 10) or a value that
    is not text (a list or an object in JSON)."""

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            data = str(data)
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            raise serializers.ValidationError(
                ProhibitNullCharactersValidator.message, code=ProhibitNullCharactersValidator.code
            )
        return super().to_internal_value(data)
