"""One log record, one line: control characters in any logged field are escaped.

Paths, request lines and exception messages come from clients; percent-decoded, a
`%0a` in a URL would otherwise start a log line of the client's choosing. Used by
the Django handlers (settings.LOGGING) and by gunicorn's error and access logs
(gunicorn.conf.py `logger_class`).
"""

import logging
import unicodedata

from gunicorn import glogging


def escape_controls(text: str) -> str:
    """`text` with each control, format, line/paragraph separator or lone surrogate
    character written as a Python escape (`\\n`, `\\x1b`, `\\u2028`); other spaces
    and all printable text are kept as they are."""
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable() or unicodedata.category(char) == "Zs"
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class OneLineFormatter(logging.Formatter):
    """A Formatter whose whole output (message, arguments, traceback) is one line."""

    def format(self, record: logging.LogRecord) -> str:
        return escape_controls(super().format(record))


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, with its error and access handlers writing one line each."""

    def setup(self, cfg):
        super().setup(cfg)
        for log, fmt, datefmt in (
            (self.error_log, self.error_fmt, self.datefmt),
            (self.access_log, self.access_fmt, None),
        ):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):  # the handlers gunicorn made
                    handler.setFormatter(OneLineFormatter(fmt, datefmt))
