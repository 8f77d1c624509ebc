/** A host service that embeds Triggers beside its own database and migrations. */
package io.triggers.examples;
