"""A real SMTP server on loopback that keeps nothing but counts, for the reminder
benchmark and tests: messages received, how often each Message-ID came, and how
many connections carried them. It needs aiosmtpd (requirements-dev.txt).

    with SmtpSink() as sink:
        ... send to 127.0.0.1:sink.port ...
        sink.received, sink.duplicates, sink.connections
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections import Counter

from aiosmtpd.smtp import SMTP

MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class _Counting(SMTP):
    def __init__(self, sink: SmtpSink, **kwargs):
        super().__init__(sink, **kwargs)
        self._sink = sink

    def connection_made(self, transport):
        self._sink.connections += 1
        self._sink._transports.add(transport)
        super().connection_made(transport)

    def connection_lost(self, error):
        self._sink._transports.discard(self.transport)
        super().connection_lost(error)


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.port = 0
        self.reset()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="smtp-sink", daemon=True)
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._transports: set = set()

    # aiosmtpd calls this for every message (the sink is its own handler).
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        self.message_ids[found.group(1).decode() if found else ""] += 1
        self.received += 1
        return "250 OK"

    def reset(self) -> None:
        self.received = 0
        self.connections = 0
        self.message_ids: Counter[str] = Counter()

    @property
    def duplicates(self) -> int:
        """Messages received more than once (by Message-ID), counting each extra copy."""
        return sum(count - 1 for count in self.message_ids.values())

    def start(self) -> SmtpSink:
        # aiosmtpd logs every command at INFO: that would cost more than serving them.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._thread.start()
        self._ready.wait(timeout=10)
        if self._failure is not None:
            raise self._failure
        if not self.port:
            raise RuntimeError("the SMTP sink did not start")
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def _serve(self) -> None:
        loop = self._loop
        asyncio.set_event_loop(loop)
        try:
            server = loop.run_until_complete(
                loop.create_server(
                    lambda: _Counting(self, hostname="smtp-sink", loop=loop), self.host, 0
                )
            )
        except BaseException as exc:  # e.g. the address is taken: tell start()
            self._failure = exc
            self._ready.set()
            return
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            server.close()
            for transport in list(self._transports):  # clients still connected
                transport.close()
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(server.wait_closed())
            loop.close()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
