/** The Triggers server: reads its configuration, wires the adapters and runs until stopped. */
package io.triggers.bootstrap;
