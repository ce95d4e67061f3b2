from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents.borrowing"
    label = "borrowing"
    verbose_name = _("Borrowing")

    def ready(self):
        pass
