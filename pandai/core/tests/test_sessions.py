"""The session engine writes a request's session data only when the request changed it; an
unchanged session gets only its new expiry, so it cannot undo what a request alongside stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from pandai.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def started() -> str:
    store = SessionStore()
    store["acting_site_id"] = 1
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_an_unchanged_session_does_not_write_back_what_it_read():
    key = started()
    alongside = SessionStore(key)
    assert alongside["acting_site_id"] == 1  # read, not changed
    other = SessionStore(key)
    other["acting_site_id"] = 2  # a request that switched the site meanwhile
    other["complaints_tracking"] = {"number": "ADU-1"}
    other.save()
    alongside.save()  # SESSION_SAVE_EVERY_REQUEST saves it at the end of the request
    kept = SessionStore(key)
    assert kept["acting_site_id"] == 2
    assert kept["complaints_tracking"] == {"number": "ADU-1"}


def test_an_unchanged_session_still_restarts_its_idle_time():
    key = started()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(seconds=5)
    )
    SessionStore(key).save()
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + timedelta(minutes=1)


def test_a_changed_session_writes_its_data():
    key = started()
    store = SessionStore(key)
    store["acting_site_id"] = 3
    store.save()
    assert SessionStore(key)["acting_site_id"] == 3


def test_a_session_signed_out_meanwhile_is_not_revived():
    key = started()
    alongside = SessionStore(key)
    alongside.load()
    SessionStore(key).delete()  # signed out in another tab
    with pytest.raises(UpdateError):
        alongside.save()
    assert not Session.objects.filter(session_key=key).exists()
