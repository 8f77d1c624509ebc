/** Dagger modules that choose and connect one implementation of every port. */
package io.triggers.bootstrap.wiring;
