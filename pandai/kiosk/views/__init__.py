"""Kiosk views: thin screens over the domains' services and selectors."""
