from django.conf import settings

from .navigation import modules_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_modules": modules_for(user) if user is not None else [],
        "huiyi_version": settings.HUIYI_VERSION,
        "organisation_name": settings.HUIYI_ORGANISATION_NAME,
    }
