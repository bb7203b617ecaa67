"""Shop test fixtures shared by the till-side tests (a module may define its own of the same
name, which then wins): see till_fixtures.py."""

from pandai.shop.tests.till_fixtures import buyer, goods, till  # noqa: F401
