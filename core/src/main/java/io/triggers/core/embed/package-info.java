/**
 * Triggers as a library: {@link io.triggers.core.embed.Triggers} builds the use cases inside a
 * host's own service, on in-memory ports or on the ports of the host's choosing, and runs webhook
 * delivery and retention in that process.
 */
package io.triggers.core.embed;
