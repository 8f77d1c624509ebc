/**
 * In-memory implementations of every driven port: thread-safe and fast, for one node, embedders'
 * tests and our own.
 */
package io.triggers.core.memory;
