"""Sign-in backends: django-axes' lockout check in front of Django's password check."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that comes with a request (every web form).

    A sign-in without a request (the test client's `login()`, a management command) has no
    address to lock; django-axes would refuse it outright, so it is passed on unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
