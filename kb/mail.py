"""E-mail from the knowledge base: rendered from templates, sent through Django's mail backend.

Two ways to send, both using the EMAIL_* settings:
- `send_templated` hands the mail to a background task (django-tasks). For mails caused by a
  request (feedback, replies) the reader does not wait for the SMTP server. With the immediate
  task backend the task runs at once; a refused mail then raises `MailNotSent` here.
- `deliver` sends synchronously and raises the SMTP error. The periodic run
  (`kb_send_notifications`) is itself the background job; it must know whether a mail left so
  that it can give back its claim (nothing sent twice, nothing lost).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django_tasks import TaskResultStatus, task


class MailNotSent(Exception):
    """The mail server refused or could not be reached (the task's error is in the message)."""


@task()
def send_mail_task(
    to: list[str], subject: str, body: str, headers: dict[str, str] | None = None
) -> None:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    message.send()


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) from `<template>_subject.txt` and `<template>.txt`."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    return subject, body


def _recipients(to: list[str]) -> list[str]:
    return sorted({address for address in to if address})


def send_templated(
    to: list[str], template: str, context: dict, headers: dict[str, str] | None = None
) -> None:
    """Render one e-mail (one message to the listed addresses) and enqueue its sending."""
    recipients = _recipients(to)
    if not recipients:
        return
    subject, body = render_mail(template, context)
    result = send_mail_task.enqueue(recipients, subject, body, headers or {})
    if result.status == TaskResultStatus.FAILED:
        errors = "; ".join(error.traceback.strip().splitlines()[-1] for error in result.errors)
        raise MailNotSent(errors or "mail not sent")


def deliver(
    to: list[str], template: str, context: dict, headers: dict[str, str] | None = None
) -> None:
    """Render and send one e-mail now; the SMTP error (if any) is raised to the caller."""
    recipients = _recipients(to)
    if not recipients:
        return
    subject, body = render_mail(template, context)
    send_mail_task.call(recipients, subject, body, headers or {})
