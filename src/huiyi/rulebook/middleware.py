"""One read of the active rulebook version per request."""

from .services import _request_active


class OneRulebookPerRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_active.set({})
        try:
            return self.get_response(request)
        finally:
            _request_active.reset(token)
