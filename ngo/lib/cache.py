"""The cache is a convenience: when it is down, a request goes on without it."""

try:
    from redis.exceptions import RedisError
except ImportError:  # no Redis client installed: only the file cache is used
    RedisError = OSError

# What a cache backend raises when its server cannot be reached or answers badly.
CACHE_ERRORS = (RedisError, OSError)
