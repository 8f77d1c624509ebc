/**
 * Webhook requests over HTTP: {@link io.triggers.adapters.http.webhook.HttpWebhookSender} posts
 * each event as JSON, signed as the Standard Webhooks specification describes, with the JDK's HTTP
 * client.
 */
package io.triggers.adapters.http.webhook;
