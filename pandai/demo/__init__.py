"""Demo data for trying Pandai: `manage.py demo_load` builds it, `demo_logins` lists the logins.

A top-level tool, not a domain app: it may import every app. Each area adds its demo data as one
step function in its own module here and lists it in `build.STEPS`.
"""
