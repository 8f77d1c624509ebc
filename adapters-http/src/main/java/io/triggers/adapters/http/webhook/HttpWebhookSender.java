package io.triggers.adapters.http.webhook;

import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.WebhookMessage;
import io.triggers.core.port.out.WebhookSender;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Posts webhook requests with the Apache HTTP client: the event as JSON, with the Standard Webhooks
 * headers {@code webhook-id} (the event id, the same on every attempt), {@code webhook-timestamp}
 * and {@code webhook-signature}.
 *
 * <p>A 2xx answer is a delivery, {@code 410 Gone} is {@link SendResult.Gone}, anything else (an
 * error status, a redirect, which is never followed, no connection, no complete answer within the
 * timeout) is a failure, with the {@code Retry-After} of a 429 or 503. The answer's body is read
 * and thrown away. A host is connected to only at addresses the target rules allow, as resolved for
 * the connection itself. A request is sent once: the client never retries on its own. Thread-safe;
 * connections are kept and reused, and closed after a minute unused. Meant for callers on virtual
 * threads, whose thread a send blocks.
 */
public final class HttpWebhookSender implements WebhookSender, AutoCloseable {

  /** How long a receiver has to answer, as the delivery contract promises. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final String USER_AGENT = "Triggers-Webhooks/1";
  private static final ContentType JSON = ContentType.create("application/json");

  /** Far more than the dispatcher sends at once, so that a send never waits for a connection. */
  private static final int MAX_CONNECTIONS = 2_048;

  /** The most characters of a client library's message kept in an attempt's error. */
  private static final int MAX_ERROR_LENGTH = 200;

  private static final TimeValue IDLE_CONNECTIONS_KEPT = TimeValue.ofMinutes(1);
  private static final TimeValue CHECK_CONNECTIONS_IDLE_FOR = TimeValue.ofSeconds(2);
  private static final Duration IDLE_CHECK_INTERVAL = Duration.ofSeconds(10);

  private final Duration timeout;
  private final Clock clock;
  private final RequestConfig requestConfig;
  private final PoolingHttpClientConnectionManager connections;
  private final CloseableHttpClient client;
  private final ScheduledThreadPoolExecutor deadlines;

  /**
   * A sender whose requests time out after {@code timeout}, that connects only to addresses {@code
   * addresses} allows; {@code clock} reads {@code Retry-After} dates.
   */
  public HttpWebhookSender(Duration timeout, Clock clock, AddressCheck addresses) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    this.clock = Objects.requireNonNull(clock, "clock");
    Timeout wait = Timeout.of(timeout);
    this.requestConfig =
        RequestConfig.custom()
            .setConnectionRequestTimeout(wait)
            .setResponseTimeout(wait)
            .setRedirectsEnabled(false)
            .build();
    this.connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new CheckedAddressResolver(addresses))
            // Each pool of a route under a lock of its own, not all under one: hundreds of
            // workers lease and release a connection for every attempt.
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
            .setMaxConnTotal(MAX_CONNECTIONS)
            .setMaxConnPerRoute(MAX_CONNECTIONS)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(wait)
                    .setSocketTimeout(wait)
                    .setValidateAfterInactivity(CHECK_CONNECTIONS_IDLE_FOR)
                    .build())
            .build();
    // The minimal client runs no execution chain (redirects, retries, cookies, authentication,
    // proxies, compression), none of which a webhook may use: every attempt, most of them to a new
    // connection when a receiver stalls, runs only what a request needs.
    this.client = HttpClients.createMinimal(connections);
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("triggers-webhook-deadlines").daemon().factory());
    deadlines.setRemoveOnCancelPolicy(true);
    deadlines.scheduleWithFixedDelay(
        this::closeIdleConnections,
        IDLE_CHECK_INTERVAL.toNanos(),
        IDLE_CHECK_INTERVAL.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public SendResult send(WebhookMessage message) {
    byte[] body = WebhookBody.of(message.event());
    String id = message.event().id().toString();
    long timestamp = message.timestamp().getEpochSecond();
    HttpPost request = new HttpPost(message.url());
    request.setConfig(requestConfig);
    // Added, not set: a new request has no header to replace, and setting looks for one.
    request.addHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    request.addHeader("webhook-id", id);
    request.addHeader("webhook-timestamp", Long.toString(timestamp));
    request.addHeader(
        "webhook-signature",
        WebhookSignature.sign(message.secret(), id, timestamp, body)
            + message
                .previousSecret()
                .map(previous -> " " + WebhookSignature.sign(previous, id, timestamp, body))
                .orElse(""));
    request.setEntity(new ByteArrayEntity(body, JSON));
    // Bounds the whole exchange, the answer's body included, which the socket timeouts do not.
    ScheduledFuture<?> deadline =
        deadlines.schedule(request::cancel, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      return client.execute(request, this::result);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new TriggersException("a webhook request was interrupted", e);
      }
      return failed(request.isCancelled() ? noAnswer() : describe(e));
    } finally {
      deadline.cancel(false);
    }
  }

  /** Closes the connections; sends still running fail. */
  @Override
  public void close() {
    deadlines.shutdownNow();
    client.close(CloseMode.IMMEDIATE);
  }

  /** Closes the connections unused for longer than they are kept, and those the receiver ended. */
  private void closeIdleConnections() {
    connections.closeExpired();
    connections.closeIdle(IDLE_CONNECTIONS_KEPT);
  }

  private SendResult result(ClassicHttpResponse response) {
    int status = response.getCode();
    if (status >= 200 && status < 300) {
      return new SendResult.Delivered(status);
    }
    if (status == 410) {
      return new SendResult.Gone();
    }
    Optional<Duration> retryAfter =
        status == 429 || status == 503
            ? RetryAfter.parse(
                Optional.ofNullable(response.getFirstHeader("retry-after")).map(Header::getValue),
                clock.instant())
            : Optional.empty();
    return new SendResult.Failed("HTTP " + status, retryAfter, Optional.of(status));
  }

  private String describe(IOException failure) {
    return switch (failure) {
      case CheckedAddressResolver.RefusedAddressException e -> "not sent: " + e.getMessage();
      case UnknownHostException e -> "could not resolve the host";
      case ConnectTimeoutException e -> "could not connect within " + seconds();
      case InterruptedIOException e -> noAnswer();
      case ConnectException e -> "could not connect: connection refused";
      default ->
          "request failed: "
              + (failure.getMessage() == null
                  ? failure.getClass().getSimpleName()
                  : printable(failure.getMessage()));
    };
  }

  /**
   * A client library's message, which may quote what the receiver sent (a malformed status line,
   * say), made safe to store and show: control characters become spaces, and it is cut short.
   */
  static String printable(String message) {
    StringBuilder printable = new StringBuilder(Math.min(message.length(), MAX_ERROR_LENGTH));
    message
        .codePoints()
        .limit(MAX_ERROR_LENGTH)
        .forEach(
            c ->
                printable.appendCodePoint(
                    Character.isISOControl(c) || !Character.isDefined(c) ? ' ' : c));
    return message.codePointCount(0, message.length()) > MAX_ERROR_LENGTH
        ? printable.append('…').toString()
        : printable.toString();
  }

  private String noAnswer() {
    return "no complete answer within " + seconds();
  }

  private String seconds() {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  private static SendResult failed(String error) {
    return new SendResult.Failed(error, Optional.empty());
  }
}
