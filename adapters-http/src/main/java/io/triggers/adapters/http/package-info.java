/**
 * The HTTP API of Triggers on Undertow: one {@code ApiHandler} takes every request through the
 * route table to a route of a {@code *Routes} group, and maps every outcome and failure to a status
 * code and the shared error format. Only {@link io.triggers.adapters.http.HttpServer}, its settings
 * and the use cases it serves are public; routes, JSON and limits stay inside.
 */
package io.triggers.adapters.http;
