/** The use cases: one class per driving port, built only on the driven ports. */
package io.triggers.core.service;
