"""E-mail from the knowledge base: rendered from templates, sent by a background task.

Every notification (review reminders, feedback, subscriptions) goes through `send_templated`,
so the SMTP settings (EMAIL_* environment variables) and the task backend apply to all alike.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django_tasks import task


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


def send_templated(
    to: list[str], template: str, context: dict, headers: dict[str, str] | None = None
) -> None:
    """Render and send one e-mail (one message to the listed addresses). With the immediate
    task backend it is sent before this returns and an SMTP failure raises here."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, body = render_mail(template, context)
    send_mail_task.enqueue(recipients, subject, body, headers or {})
