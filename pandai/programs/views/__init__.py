"""Screens of the programmes (pembinaan): catalogue, sessions and attendance, premi, records."""
