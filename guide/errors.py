"""Error pages that still render when the database or the templates are broken.

Django's own 500 handler renders 500.html with an empty context, so the page
would lose the site name. These views pass the names from settings directly,
without a RequestContext (context processors may touch the session or the
user, and so the database), and fall back to a fixed page if rendering fails.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers

from careers.context_processors import site

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

_FALLBACK = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
    "<title>{title}</title></head><body><main><h1>{title}</h1>"
    "<p>{message}</p></main></body></html>"
)


def _site_names():
    # Settings only (the footer's names): no request, no database.
    return site(None)


def _render_standalone(template_name, status, title, message):
    """Render without the request; never raises."""
    try:
        body = loader.render_to_string(template_name, _site_names())
    except Exception:
        logger.exception("error page %s could not be rendered", template_name)
        body = _FALLBACK.format(title=title, message=message)
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    add_never_cache_headers(response)
    return response


def service_unavailable(request=None):
    """503 while the database cannot be reached; clients may retry shortly."""
    response = _render_standalone(
        "503.html",
        503,
        "ただいま混み合っています",
        "一時的にページを表示できません。しばらくしてからもう一度お試しください。",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: the site's 500 page, or 503 when the cause is the database."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return _render_standalone(
        "500.html",
        500,
        "エラーが発生しました",
        "申し訳ありません。ページを表示できませんでした。時間をおいてもう一度お試しください。",
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open too long; say so in plain words."""
    return render(request, "403.html", {"csrf_failure": True}, status=403)


def too_many_requests(request, retry_after=None, *, template_name="429.html", context=None):
    """The 429 page, for views that rate-limit; sets Retry-After (seconds) when given.

    A view whose form was refused passes its own template and context, so the
    reader keeps what they typed.
    """
    response = render(request, template_name, context, status=429)
    if retry_after:
        response["Retry-After"] = str(int(retry_after))
    add_never_cache_headers(response)
    return response
