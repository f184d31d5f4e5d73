"""One log record, one line: control characters in any logged field are escaped, and
the secret part of a link that grants access is never written.

Paths, request lines and exception messages come from clients; percent-decoded, a
`%0a` in a URL would otherwise start a log line of the client's choosing. Used by
the Django handlers (settings.LOGGING) and by gunicorn's error and access logs
(gunicorn.conf.py `logger_class`).
"""

import logging
import re
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


# The reader's status link and the outside reviewer's preview link carry a signed
# token in the path (careers/urls.py): whoever reads a log line must not be able to
# open the reader's request or the draft with it.
SECRET_PATH_RE = re.compile(r"/(consultation/status|preview)/(?!erased/)[^/\s?\"]+")


def redact_secrets(text: str) -> str:
    """`text` with the token of every status or share link replaced by `[token]`."""
    return SECRET_PATH_RE.sub(r"/\1/[token]", text)


class OneLineFormatter(logging.Formatter):
    """A Formatter whose whole output (message, arguments, traceback) is one line,
    with access tokens in paths redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_secrets(escape_controls(super().format(record)))


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
