/**
 * Driving ports: one use case per user intent, with the commands they take and the outcomes they
 * return. Expected outcomes are sealed types; exceptions mean bugs or unreachable infrastructure.
 */
package io.triggers.core.port.in;
