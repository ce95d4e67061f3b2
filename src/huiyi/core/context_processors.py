from django.conf import settings

from .navigation import modules_for
from .notifications import unread_count


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_modules": modules_for(user) if user is not None else [],
        "unread_notifications": unread_count(user) if signed_in else 0,
        "huiyi_version": settings.HUIYI_VERSION,
        "organisation_name": settings.HUIYI_ORGANISATION_NAME,
    }
