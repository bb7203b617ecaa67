"""Registry screens, one module per area; urls.py names each view."""
