/**
 * What lets a node share rate limits and dedup with other nodes through Redis, and keep serving
 * while Redis fails: each port asks Redis first and falls back while Redis is unavailable.
 */
package io.triggers.bootstrap.cluster;
