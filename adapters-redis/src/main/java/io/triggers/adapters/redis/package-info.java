/**
 * Redis implementations of the rate limiting, deduplication and queuing ports (Lettuce), shared by
 * every node of a cluster; {@link io.triggers.adapters.redis.RedisConnection} makes them.
 *
 * <p>A node keeps serving while Redis fails: {@link
 * io.triggers.adapters.redis.RedisFallbackRateLimiter} and {@link
 * io.triggers.adapters.redis.RedisFailOpenDeduplicator} ask Redis first and fall back while it is
 * unavailable.
 */
package io.triggers.adapters.redis;
