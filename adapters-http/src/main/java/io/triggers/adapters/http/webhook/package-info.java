/**
 * Webhook requests over HTTP: {@link io.triggers.adapters.http.webhook.HttpWebhookSender} posts
 * each event as JSON, signed as the Standard Webhooks specification describes, with Apache
 * HttpClient 5, blocking on the caller's thread.
 */
package io.triggers.adapters.http.webhook;
