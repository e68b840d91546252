"""Django's Redis cache, keeping one client per connection pool.

Django's `RedisCacheClient` builds a new `redis.Redis` object for every cache operation, and
building one fills a table of some eighty reply handlers. A page reads the cache about six times
(the session, the generations and the cached figures), so that was measurable on every request
(issue 8). A `redis.Redis` is safe to share: each command takes a connection from the pool.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
