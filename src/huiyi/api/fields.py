"""Serializer fields shared by the apps' APIs."""

from datetime import UTC, datetime

from django.core.validators import MaxValueValidator, MinValueValidator, ProhibitNullCharactersValidator
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


#: The date-times the API accepts (issue 10). Outside these, a date-time in a meeting's records is a typing
#: error — and one before 1901 has no RFC 3339 form in Asia/Shanghai, whose offset was then the local mean
#: time, +08:05:43: the API would answer it as "0208-11-10T15:16:12+08:05:43", which no client can parse.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)
DATETIME_VALIDATORS = [MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]
