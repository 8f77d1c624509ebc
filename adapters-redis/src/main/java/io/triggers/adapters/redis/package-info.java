/**
 * Redis implementations of the rate limiting, deduplication and queuing ports (Lettuce), shared by
 * every node of a cluster; {@link io.triggers.adapters.redis.RedisConnection} makes them.
 */
package io.triggers.adapters.redis;
