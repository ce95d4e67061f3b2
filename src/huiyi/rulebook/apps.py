from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulebookConfig(AppConfig):
    name = "huiyi.rulebook"
    label = "rulebook"
    verbose_name = _("Rulebook")

    def ready(self):
        from django.db.models.signals import post_migrate

        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        from .models import RulebookVersion, ShippedRulebook

        register_module(
            Module(
                key="rulebook",
                label=_("Rulebook"),
                url_name="rulebook:browse",
                icon="journal-bookmark",
                permission=None,
                secondary=True,
            ),
            after="projects",
        )

        register(RulebookVersion, exclude_fields=["data"])
        register(ShippedRulebook, exclude_fields=["data"])
        post_migrate.connect(_ensure_default_version, sender=self)


def _ensure_default_version(sender, **kwargs):
    from .services import ensure_default_version
    from .upgrade import bring_in_shipped_standard

    ensure_default_version()
    bring_in_shipped_standard()
