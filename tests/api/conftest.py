import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit counts calls per client in the cache. Database ids repeat between tests, so
    one test's calls would count against the next test's client: each test starts uncounted."""
    cache.clear()
    yield
    cache.clear()
