"""Sosialisasi: sessions, policies, agenda, attendance, questions, votes, polls, minutes."""
