"""A real SMTP relay for the tests: aiosmtpd on a free loopback port (a pytest plugin)."""

import asyncio
import email
import email.policy
import logging
import signal
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command


class Relay:
    """Accepts mail like a relay and keeps each message, parsed; can refuse, hang or be down.

    `refuse_rcpt` / `refuse_data`: an SMTP reply (e.g. "451 4.3.0 Try later") sent
    instead of accepting. `hang_after_data`: seconds to wait, after keeping the
    message, before answering: the sender times out not knowing it was taken.
    """

    def __init__(self):
        with socket.socket() as probe:  # a free port on loopback only
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages = []
        self.refuse_rcpt = self.refuse_data = None
        self.hang_after_data = 0
        self.controller = None

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        """Down: connections are refused until start()."""
        self.controller.stop()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        await asyncio.sleep(self.hang_after_data)
        return "250 2.0.0 Queued"


@pytest.fixture
def relay(settings):
    """The relay, up, and the default mailer pointed at it (SMTP with a 1 s timeout)."""
    server = Relay()
    # The relay's own log quotes the conversation (addresses, body): not ours to check.
    relay_log = logging.getLogger("mail.log")
    level, relay_log.level = relay_log.level, logging.WARNING
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 1},
        }
    }
    yield server
    if server.controller.loop.is_running():
        server.stop()
    relay_log.setLevel(level)


@pytest.fixture
def run_worker():
    """Runs the backend's own worker (`db_worker --batch`) until no task is ready."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def run():
        try:
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
        finally:  # the worker installs its own shutdown handlers
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run
