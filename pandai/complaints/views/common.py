"""What the complaint screens share: fetching an item the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pandai.complaints import selectors
from pandai.complaints.models import Complaint
from pandai.core.http import PandaiRequest
from pandai.core.permissions import in_acting_site


def complaint_for(request: PandaiRequest, pk: int) -> Complaint:
    """The item by URL pk: 404 missing, 403 other site, 403 for staff named in it."""
    complaint = in_acting_site(request, selectors.complaint_qs(), pk=pk)
    if not selectors.may_access(user=request.user, complaint=complaint):
        raise PermissionDenied(_("Anda disebut dalam pengaduan ini dan tidak dapat membukanya."))
    return complaint
