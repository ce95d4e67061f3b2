"""Permissions granted by roles: a user holds the permissions of every role of their memberships."""

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Permission


class RolePermissionBackend(BaseBackend):
    cache_name = "_huiyi_role_perm_cache"

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, self.cache_name):
            rows = (
                Permission.objects.filter(role__memberships__user=user_obj)
                .values_list("content_type__app_label", "codename")
                .distinct()
            )
            setattr(user_obj, self.cache_name, {f"{app}.{code}" for app, code in rows})
        return getattr(user_obj, self.cache_name)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
