"""A real SMTP server on loopback for the mail tests: aiosmtpd in a thread, keeping every message.

Django's SMTP backend talks to it over TCP exactly as to the city's mail relay, so a test sees
what a mail client would: envelope, headers (From, Subject, encoded words) and the decoded body.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class ReceivedMail:
    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def sender(self) -> str:
        return str(self.message["From"])

    @property
    def to(self) -> list[str]:
        return [address.addr_spec for address in self.message["To"].addresses]

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


class _Collector:
    def __init__(self) -> None:
        self.mails: list[ReceivedMail] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.mails.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    _collector: _Collector

    @property
    def mails(self) -> list[ReceivedMail]:
        with self._collector.lock:
            return list(self._collector.mails)

    def clear(self) -> None:
        with self._collector.lock:
            self._collector.mails.clear()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextmanager
def running_smtp_server(host: str = "127.0.0.1") -> Iterator[SmtpServer]:
    collector = _Collector()
    controller = Controller(collector, hostname=host, port=free_port(host))
    controller.start()
    try:
        yield SmtpServer(host, controller.port, collector)
    finally:
        controller.stop()
