"""Koperasi screens, one module per area (pos, shifts, receipts, catalogue, orders, reports)."""
