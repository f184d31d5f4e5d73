"""Health endpoints for the container runtime and the load balancer.

/healthz: the process answers (liveness). Touches nothing else, so a database
outage never gets healthy web containers restarted.
/readyz: this instance can serve pages (readiness): the database answers.
"""

import logging

from django.db import Error, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _text(body, status=200):
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request):
    return _text("ok")


@never_cache
@require_safe
def readyz(request):
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as exc:
        logger.warning("readyz: database unavailable (%s)", type(exc).__name__)
        return _text("database unavailable", status=503)
    return _text("ok")
