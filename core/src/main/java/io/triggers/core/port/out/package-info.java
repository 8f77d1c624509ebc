/**
 * Driven ports: what the core needs from the outside world. Every implementation is thread-safe and
 * passes the matching contract test in core's test-jar.
 */
package io.triggers.core.port.out;
