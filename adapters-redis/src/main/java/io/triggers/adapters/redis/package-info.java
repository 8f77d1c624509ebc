/**
 * Redis implementations of the rate limiter, deduplicator, delivery queue, organization changes and
 * health check ports (Lettuce), shared by every node of a cluster; {@link
 * io.triggers.adapters.redis.RedisConnection} makes them over one shared connection. Scripts that
 * must run atomically are Lua resources next to the classes that run them. How the delivery queue
 * uses a stream and a sorted set is told in {@code docs/redis-delivery-queue.md}.
 *
 * <p>A node keeps serving while Redis fails: {@link
 * io.triggers.adapters.redis.RedisFallbackRateLimiter} and {@link
 * io.triggers.adapters.redis.RedisFailOpenDeduplicator} ask Redis first and fall back while it is
 * unavailable.
 */
package io.triggers.adapters.redis;
