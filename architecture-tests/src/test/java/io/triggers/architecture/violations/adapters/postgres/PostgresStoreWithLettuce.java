package io.triggers.architecture.violations.adapters.postgres;

import io.lettuce.core.RedisClient;

/** Wrong on purpose: the PostgreSQL adapter talking to Redis with Lettuce. */
public record PostgresStoreWithLettuce(RedisClient client) {}
