/**
 * The meters of Triggers in Micrometer, scraped by Prometheus: {@link
 * io.triggers.adapters.metrics.PrometheusRegistry} with the JVM's and the build's own meters,
 * {@link io.triggers.adapters.metrics.MicrometerDeliveryMetrics} for how webhook attempts end, and
 * {@link io.triggers.adapters.metrics.BacklogGauges} sampling the delivery backlog. The other
 * adapters register their own meters (requests, group commit, pool) on the same registry.
 */
package io.triggers.adapters.metrics;
