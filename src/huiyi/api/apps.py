from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "huiyi.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self):
        from . import schema  # noqa: F401  (OpenAPI extensions)
