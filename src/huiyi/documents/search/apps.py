from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents.search"
    label = "docsearch"
    verbose_name = _("Document search")

    def ready(self):
        pass
