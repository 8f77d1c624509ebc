/**
 * The use cases: one class per driving port of {@link io.triggers.core.port.in}, built only on the
 * driven ports, the model and the policies.
 */
package io.triggers.core.service;
