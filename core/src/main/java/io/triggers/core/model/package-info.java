/**
 * Values and entities of the Triggers domain; every value validates itself on construction. Also
 * the one throttled {@link io.triggers.core.model.FailureLog}, here because services and adapters
 * alike may use the model.
 */
package io.triggers.core.model;
