package io.triggers.bootstrap.wiring;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry once every meter that reads the server as a whole is on it; what the HTTP server
 * scrapes, so that building the one builds the other.
 */
record Meters(PrometheusMeterRegistry registry) {}
