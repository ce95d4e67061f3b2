from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "huiyi.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self):
        from rest_framework import serializers

        from . import schema  # noqa: F401  (OpenAPI extensions)
        from .fields import DATETIME_VALIDATORS

        # Every date-time an API serializer reads (declared or from a model) lies in a plausible range; a
        # field given its own validators keeps them.
        serializers.DateTimeField.default_validators = DATETIME_VALIDATORS
