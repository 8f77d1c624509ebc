package io.triggers.architecture.violations.core.service;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** Wrong on purpose: a service that sends webhooks with the Apache HTTP client itself. */
public record ServiceThatPostsWebhooksItself(CloseableHttpClient client) {}
