/**
 * Webhook requests over HTTP: {@link io.triggers.adapters.http.webhook.HttpWebhookSender} posts
 * each event as JSON, signed as the Standard Webhooks specification describes, with Apache
 * HttpClient 5. Its blocking client is used: a send is a write and a read on the caller's virtual
 * thread, which costs less CPU than an asynchronous client whose every exchange goes through tasks
 * on other threads. Socket timeouts bound each wait, and cancelling the exchange bounds the whole.
 */
package io.triggers.adapters.http.webhook;
