"""Kotak pengaduan: complaints and aspirations, their handling history, box openings."""
