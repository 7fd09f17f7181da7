"""Django's Redis cache backend with one client per connection pool, made once.

Django's backend builds a new `redis.Redis` client around its pool on every call, and redis-py's
client is costly to build (about a quarter of a millisecond, as much as the round trip itself):
on a news day, when most public pages are page-cache hits, that was a third of each hit. A client
over a pool is safe to share, and Django's cache handler gives each thread its own backend anyway.
Settings use this backend whenever CACHE_URL names Redis.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pool lives as long as this object (it is kept in self._pools): its id is stable.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
