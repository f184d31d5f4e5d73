"""The id of the request being served, for log lines and the X-Request-ID header.

The id lives in a context variable so that every log record written while a
request is handled carries it, whichever logger wrote it.
"""

import contextvars
import logging
import re
import uuid

# What we accept from the proxy in front of us: short and harmless in a log line.
_SANE = re.compile(r"[A-Za-z0-9-]{1,64}")

request_id_var = contextvars.ContextVar("request_id", default="-")


def new_request_id(incoming=None):
    """The proxy's id when it is a sane token, else a fresh random one."""
    if incoming and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True
