"""The money office screens (keuangan/): bank money and reconciliation, the daily closing,
monitoring, the site's money rules, limit exceptions, adjustments and reversals."""
