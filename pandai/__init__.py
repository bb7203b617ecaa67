"""Pandai: cashless cards, complaint box and information sessions for Rutan / Lapas."""
