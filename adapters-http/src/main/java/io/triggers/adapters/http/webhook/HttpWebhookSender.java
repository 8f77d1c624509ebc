package io.triggers.adapters.http.webhook;

import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.WebhookMessage;
import io.triggers.core.port.out.WebhookSender;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * Posts webhook requests with the JDK's HTTP client: the event as JSON, with the Standard Webhooks
 * headers {@code webhook-id} (the event id, the same on every attempt), {@code webhook-timestamp}
 * and {@code webhook-signature}.
 *
 * <p>A 2xx answer is a delivery, {@code 410 Gone} is {@link SendResult.Gone}, anything else (an
 * error status, a redirect, which is never followed, no connection, no complete answer within the
 * timeout) is a failure, with the {@code Retry-After} of a 429 or 503. The answer's body is read
 * and thrown away. Thread-safe; connections are kept and reused.
 *
 * <p>Requests are spread over a few clients by organization, each with its own connection pool and
 * selector thread: one JDK client's pool slows down as it holds many connections, and its one
 * selector thread becomes the limit under hundreds of concurrent requests.
 *
 * <p>The clients run their internal tasks on virtual threads. Their default executor, a cached pool
 * of platform threads, hands every step of every exchange to another thread through a synchronous
 * queue, and those hand-offs cost more CPU than the rest of the exchange. A task that blocks (a DNS
 * lookup while connecting) holds up no other request, which it would if the selector thread ran the
 * tasks itself.
 */
public final class HttpWebhookSender implements WebhookSender {

  /** How long a receiver has to answer, as the delivery contract promises. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final String USER_AGENT = "Triggers-Webhooks/1";

  private static final int CLIENTS = 4;

  private static final Executor TASKS =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("triggers-webhook-http").factory());

  private final List<HttpClient> clients;
  private final Duration timeout;
  private final Clock clock;

  /** {@code clock} reads {@code Retry-After} dates. */
  public HttpWebhookSender(Duration timeout, Clock clock) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.clients =
        IntStream.range(0, CLIENTS)
            .mapToObj(
                i ->
                    HttpClient.newBuilder()
                        // HTTP/1.1 keeps plain-http receivers away from h2c upgrade requests.
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(timeout)
                        .executor(TASKS)
                        .build())
            .toList();
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
    HttpRequest request =
        HttpRequest.newBuilder(message.url())
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("user-agent", USER_AGENT)
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header(
                "webhook-signature", WebhookSignature.sign(message.secret(), id, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpClient client =
        clients.get(
            Math.floorMod(message.event().organizationId().value().hashCode(), clients.size()));
    CompletableFuture<HttpResponse<Void>> response =
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    try {
      // Bounds the whole exchange, the answer's body included, which the request timeout does not.
      return result(response.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      response.cancel(true);
      return failed(noAnswer());
    } catch (ExecutionException e) {
      return failed(describe(e.getCause()));
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new TriggersException("a webhook request was interrupted", e);
    }
  }

  private SendResult result(HttpResponse<Void> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new SendResult.Delivered(status);
    }
    if (status == 410) {
      return new SendResult.Gone();
    }
    Optional<Duration> retryAfter =
        status == 429 || status == 503
            ? RetryAfter.parse(response.headers().firstValue("retry-after"), clock.instant())
            : Optional.empty();
    return new SendResult.Failed("HTTP " + status, retryAfter);
  }

  private String describe(Throwable failure) {
    return switch (failure) {
      case HttpConnectTimeoutException e -> "could not connect within " + seconds();
      case HttpTimeoutException e -> noAnswer();
      case ConnectException e -> "could not connect: connection refused";
      case IOException e ->
          "request failed: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      default -> "request failed: " + failure.getClass().getSimpleName();
    };
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
