"""Fixtures of the network tests: the small town with the demo boundaries."""

from tests.town import town  # noqa: F401 (fixture)
