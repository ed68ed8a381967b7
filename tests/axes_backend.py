"""django-axes backend for the test settings only (wissensnetz.settings.test)."""

from __future__ import annotations

from axes.backends import AxesBackend


class TestClientAxesBackend(AxesBackend):
    """AxesBackend for the test settings only.

    Django's test client ``login()`` calls ``authenticate()`` without a request, which the
    AxesBackend rejects. Without a request there is no client to lock out, so this backend then
    leaves the decision to ModelBackend; every request-based login (the login pages, and so the
    lockout tests) goes through the unchanged axes check.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
