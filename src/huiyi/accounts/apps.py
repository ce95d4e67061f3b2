from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "huiyi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit  # noqa: F401  (registers models with the audit trail)

        post_migrate.connect(_ensure_roles, sender=self)


def _ensure_roles(sender, using="default", apps=None, **kwargs):
    # Roles reference permissions of apps migrated after this one: create every app's first.
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)

    from .services import ensure_default_roles

    ensure_default_roles()
