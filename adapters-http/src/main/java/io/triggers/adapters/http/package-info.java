/**
 * The HTTP API of Triggers on Undertow: routing, authentication, JSON in and out, body limits and
 * the mapping of every use case outcome to a status code. Only {@link
 * io.triggers.adapters.http.HttpServer} and its settings are public; wire formats stay inside.
 */
package io.triggers.adapters.http;
