"""`manage.py demo_load`: loads once; --if-empty skips; a second plain load is refused."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pandai.core.models import Site, User
from pandai.inmates.models import Inmate


@pytest.mark.django_db
def test_demo_load_command_if_empty_and_refusal():
    out = io.StringIO()
    call_command("demo_load", "--inmates", "12", stdout=out)
    assert "Selesai" in out.getvalue()
    counts = (Site.objects.count(), Inmate.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("demo_load", "--if-empty", stdout=out)
    assert "tidak dimuat ulang" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("demo_load", stdout=io.StringIO())
    assert (Site.objects.count(), Inmate.objects.count(), User.objects.count()) == counts
