"""Skip the Django-layer calendar tests cleanly when Django is not set up or the app is not installed."""

from __future__ import annotations

import pytest


def require_calendar_app() -> None:
    from django.conf import settings

    if not settings.configured:
        pytest.skip("Django settings are not configured (run without -p no:django)", allow_module_level=True)
    from django.apps import apps

    if not apps.is_installed("huiyi.calendar"):
        pytest.skip('add "huiyi.calendar" to INSTALLED_APPS', allow_module_level=True)
