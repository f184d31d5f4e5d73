"""Site-wide middleware: request ids, cache control, browser policy headers, database outages."""

import logging

from guide.errors import DATABASE_ERRORS, service_unavailable
from guide.request_id import new_request_id, request_id_var

logger = logging.getLogger(__name__)

# Headers Django has no setting for, on every response.
POLICY_HEADERS = {
    # Browser features the site never uses.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    # No other site may load our pages, images or files into its own (Spectre-class
    # leaks, hotlinking of editors' uploads).
    "Cross-Origin-Resource-Policy": "same-origin",
}
PRIVATE = "private, no-store"


class RequestIdMiddleware:
    """Tag each request with an id: the proxy's X-Request-ID if sane, else a new one.

    The id goes on every log line written meanwhile (see guide.request_id) and
    back to the client in the X-Request-ID response header, so a reader's
    report of an error page can be matched to the log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class CacheControlMiddleware:
    """Nothing is stored by a cache unless its view says so.

    A response without Cache-Control gets `private, no-store`: forms (CSRF cookie,
    one-time token), whatever re-renders what a reader typed, the thanks page,
    admin, and every page added later. Only careers.caching.cached_page marks
    pages public; should one of them set a cookie or vary by cookie after all, it
    is made private here, so nothing personal ever reaches a shared cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cache_control = response.get("Cache-Control")
        if cache_control is None or (
            "public" in cache_control
            and (response.cookies or "cookie" in response.get("Vary", "").lower())
        ):
            response["Cache-Control"] = PRIVATE
        return response


class PolicyHeadersMiddleware:
    """Adds POLICY_HEADERS; above WhiteNoise, so static files get them too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in POLICY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        # The class name only: driver messages are not ours to vet for content.
        logger.error("database unavailable (%s); answered 503", type(exception).__name__)
        return service_unavailable(request)
