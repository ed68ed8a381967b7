"""Login, logout and password reset of the site: Django's auth views, German and unambiguous.

- A wrong user name or password says so (Django's German "Bitte Benutzername und Passwort
  eingeben" reads as if a field were empty). The same words for an unknown user name: the page
  never tells which of the two was wrong.
- Logging out leaves a confirmation on the login page.
- Password reset by e-mail (Django's views and tokens): the link in the mail is built from
  WAGTAILADMIN_BASE_URL, never from the Host header of the request that asked for it, and the
  form answers the same whether the address exists or not. A password set through the mailed
  link also ends a django-axes lockout of that user name: whoever reads the mailbox may log in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect

INVALID_LOGIN = (
    "Benutzername oder Passwort ist falsch. Bitte prüfen Sie beides – "
    "Groß- und Kleinschreibung zählt."
)
LOGGED_OUT = "Sie wurden abgemeldet."


class LoginForm(AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID_LOGIN}


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm


class LogoutView(auth_views.LogoutView):
    """POST only (Django's); the login page it redirects to then says "Sie wurden abgemeldet"."""

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            # The session is gone; the message travels in the message cookie.
            messages.success(request, LOGGED_OUT)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        base_url = settings.WAGTAILADMIN_BASE_URL
        parts = urlsplit(base_url)
        form.save(
            domain_override=parts.netloc,
            use_https=parts.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            extra_email_context={
                "base_url": base_url,
                "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
        # The "mail sent" page, the same for every address.
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # The mailed token is swapped for this word in the address bar (Django's "set-password").
    reset_url_token = "festlegen"

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
