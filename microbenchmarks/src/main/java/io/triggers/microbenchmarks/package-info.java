/**
 * JMH benchmarks of the per-request work in core: the rate-limit decision, event ids and API-key
 * authentication, on the implementations the server wires in. The HTTP adapter's JSON work is
 * benchmarked from the adapter's own package.
 */
package io.triggers.microbenchmarks;
