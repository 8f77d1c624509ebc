/**
 * JMH benchmarks of the per-request work in core: the rate-limit decision, event ids and API-key
 * authentication, on the implementations the server wires in. The HTTP adapter's JSON benchmarks
 * live in that adapter's test sources, and this module's jar runs them too.
 */
package io.triggers.microbenchmarks;
