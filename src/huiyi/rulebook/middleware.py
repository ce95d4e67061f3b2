"""One read of the active rulebook version per request."""

from .services import one_active_version


class OneRulebookPerRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_active_version():
            return self.get_response(request)
