"""The session engine: Django's database sessions, except that a request which changed nothing
in its session writes only the new expiry time.

`SESSION_SAVE_EVERY_REQUEST` restarts the idle time at every request. Django does that by
writing the whole session back as the request read it, so a request that ran alongside another
one (a suggestions fetch while the cashier scans, a second tab) undid whatever the other had
stored meanwhile. Here only a request that changed its session writes its data."""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.modified or self.session_key is None:
            super().save(must_create=must_create)
            return
        touched = self.model.objects.filter(session_key=self.session_key).update(
            expire_date=self.get_expiry_date()
        )
        if not touched:  # signed out meanwhile (another tab): as Django does, do not revive it
            raise UpdateError
