/** Redis implementations of the rate limiting, deduplication and queuing ports (Lettuce). */
package io.triggers.adapters.redis;
