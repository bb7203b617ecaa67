"""Complaint desk screens, one module per area; urls_staff.py names each view."""
