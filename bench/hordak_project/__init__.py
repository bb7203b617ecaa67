"""A minimal Django project around django-hordak 2.0, for the ledger_vs_hordak benchmark row.

It runs only in bench/hordak-env (created by the bench), never in Pandai's virtualenv."""
