"""Sosialisasi screens."""
