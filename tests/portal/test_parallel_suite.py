"""The suite runs in one process per core (pytest-xdist); each keeps its own Redis database."""

from portal.management.commands.test import parallel
from tests.conftest import redis_url_of_worker


def test_each_test_process_has_its_own_redis_database():
    url = "redis://127.0.0.1:6379/15"
    assert [redis_url_of_worker(url, n) for n in range(3)] == [
        "redis://127.0.0.1:6379/15",
        "redis://127.0.0.1:6379/14",
        "redis://127.0.0.1:6379/13",
    ]
    assert redis_url_of_worker("redis://:geheim@redis:6379", 1) == "redis://:geheim@redis:6379/15"


def test_the_test_command_runs_in_parallel_unless_told_otherwise():
    assert parallel([]) == ["-n", "auto", "--dist", "loadscope"]
    assert parallel(["tests/cases", "-k", "budget"]) == ["-n", "auto", "--dist", "loadscope"]
    assert parallel(["-n", "0"]) == []
    assert parallel(["--numprocesses=3"]) == []
    assert parallel(["-p", "no:xdist"]) == []
