package io.triggers.adapters.http.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triggers.core.memory.SystemHostResolver;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventType;
import io.triggers.core.model.Payload;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.TriggersException;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.out.WebhookMessage;
import io.triggers.core.port.out.WebhookSender.SendResult;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import io.triggers.core.testing.StandardWebhooksVerifier;
import io.triggers.core.testing.WebhookReceiver;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against a real local HTTP receiver, checked by an independent verifier. */
class HttpWebhookSenderIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The receivers of these tests listen on the loopback address. */
  private static final AddressCheck ANY_ADDRESS = AddressCheck.ANY;

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final SigningSecret secret = fixtures.ids().newSigningSecret();
  private final WebhookReceiver receiver = new WebhookReceiver();
  private final HttpWebhookSender sender =
      new HttpWebhookSender(HttpWebhookSender.DEFAULT_TIMEOUT, clock, ANY_ADDRESS);

  @AfterEach
  void closeReceiverAndSender() {
    receiver.close();
    sender.close();
  }

  @Test
  void signsTheStandardWebhooksTestVector() {
    // given: the example of the Standard Webhooks specification
    SigningSecret specSecret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    String body = "{\"test\": 2432232314}";

    // when
    String signature =
        WebhookSignature.sign(
            specSecret,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            body.getBytes(StandardCharsets.UTF_8));

    // then
    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assertThat(
            new StandardWebhooksVerifier(specSecret.value())
                .verify(
                    "msg_p5jXN8AQM9LWM0D4loKWxJek",
                    "1614265330",
                    signature,
                    body,
                    Instant.ofEpochSecond(1614265330)))
        .isTrue();
  }

  @Test
  void postsTheEventAsJsonSignedSoThatAnIndependentVerifierAcceptsIt() throws Exception {
    // given
    Event event =
        new Event(
            fixtures.eventId(),
            fixtures.organization().id(),
            new EventType("order.créé \"quoted\""),
            new Payload("{\"order_id\":1042,\"total\":\"19.90\",\"items\":[1,2.50]}"),
            Optional.of(new DedupId("order-1042")),
            clock.instant());
    Instant timestamp = clock.advance(Duration.ofMillis(1_500));

    // when
    SendResult result = sender.send(message(event, timestamp));

    // then
    assertThat(result).isEqualTo(new SendResult.Delivered(200));
    WebhookReceiver.Request request = receiver.requests().poll(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.header("webhook-id")).isEqualTo(event.id().toString());
    assertThat(request.header("webhook-timestamp"))
        .isEqualTo(Long.toString(timestamp.getEpochSecond()));
    assertThat(request.header("content-type")).isEqualTo("application/json");
    assertThat(request.header("user-agent")).isEqualTo("Triggers-Webhooks/1");
    assertThat(verifier().verify(request, clock.instant())).isTrue();
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("id", "type", "payload", "dedup_id", "created_at");
    assertThat(body.get("id").asText()).isEqualTo(event.id().toString());
    assertThat(body.get("type").asText()).isEqualTo("order.créé \"quoted\"");
    assertThat(body.get("payload").get("order_id").asInt()).isEqualTo(1042);
    assertThat(request.body()).contains("\"payload\":" + event.payload().json() + ",");
    assertThat(body.get("dedup_id").asText()).isEqualTo("order-1042");
    assertThat(body.get("created_at").asText()).isEqualTo(event.createdAt().toString());
  }

  @Test
  void theVerifierRefusesAnotherSecretATamperedBodyAndAStaleTimestamp() throws Exception {
    // given
    sender.send(message(event(), clock.instant()));
    WebhookReceiver.Request request = receiver.requests().poll(10, TimeUnit.SECONDS);
    String signature = request.header("webhook-signature");
    String id = request.header("webhook-id");
    String timestamp = request.header("webhook-timestamp");

    // when / then
    assertThat(
            new StandardWebhooksVerifier(fixtures.ids().newSigningSecret().value())
                .verify(id, timestamp, signature, request.body(), clock.instant()))
        .isFalse();
    assertThat(
            new StandardWebhooksVerifier(secret.value())
                .verify(id, timestamp, signature, request.body() + " ", clock.instant()))
        .isFalse();
    assertThat(
            new StandardWebhooksVerifier(secret.value())
                .verify(
                    id,
                    timestamp,
                    signature,
                    request.body(),
                    clock.instant().plus(Duration.ofMinutes(6))))
        .isFalse();
  }

  @Test
  void sendsTheSameWebhookIdOnEveryAttemptWithAFreshSignature() throws Exception {
    // given
    Event event = event();

    // when
    sender.send(message(event, clock.instant()));
    Instant later = clock.advance(Duration.ofSeconds(30));
    sender.send(message(event, later));

    // then
    WebhookReceiver.Request first = receiver.requests().poll(10, TimeUnit.SECONDS);
    WebhookReceiver.Request second = receiver.requests().poll(10, TimeUnit.SECONDS);
    assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id"));
    assertThat(second.header("webhook-signature")).isNotEqualTo(first.header("webhook-signature"));
    assertThat(verifier().verify(second, later)).isTrue();
  }

  @Test
  void reportsAnErrorStatusOrARedirectAsAFailure() {
    // given
    receiver.answer(
        request ->
            request.path().equals("/redirect")
                ? new WebhookReceiver.Answer(
                    302, Map.of("location", "http://169.254.169.254/"), Duration.ZERO)
                : WebhookReceiver.Answer.status(500));

    // when
    SendResult error = sender.send(message("/error", event(), clock.instant()));
    SendResult redirect = sender.send(message("/redirect", event(), clock.instant()));

    // then
    assertThat(error)
        .isEqualTo(new SendResult.Failed("HTTP 500", Optional.empty(), Optional.of(500)));
    assertThat(redirect)
        .isEqualTo(new SendResult.Failed("HTTP 302", Optional.empty(), Optional.of(302)));
    assertThat(receiver.requests()).hasSize(2);
  }

  @Test
  void readsRetryAfterOnA429OrA503Only() {
    // given
    String inTwoMinutes =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plus(Duration.ofMinutes(2)).atOffset(ZoneOffset.UTC));
    receiver.answer(
        request ->
            switch (request.path()) {
              case "/429" ->
                  new WebhookReceiver.Answer(429, Map.of("Retry-After", "30"), Duration.ZERO);
              case "/503" ->
                  new WebhookReceiver.Answer(
                      503, Map.of("Retry-After", inTwoMinutes), Duration.ZERO);
              default ->
                  new WebhookReceiver.Answer(500, Map.of("Retry-After", "30"), Duration.ZERO);
            });

    // when
    SendResult tooMany = sender.send(message("/429", event(), clock.instant()));
    SendResult unavailable = sender.send(message("/503", event(), clock.instant()));
    SendResult error = sender.send(message("/500", event(), clock.instant()));

    // then
    assertThat(tooMany)
        .isEqualTo(
            new SendResult.Failed(
                "HTTP 429", Optional.of(Duration.ofSeconds(30)), Optional.of(429)));
    assertThat(unavailable)
        .isEqualTo(
            new SendResult.Failed(
                "HTTP 503", Optional.of(Duration.ofMinutes(2)), Optional.of(503)));
    assertThat(error)
        .isEqualTo(new SendResult.Failed("HTTP 500", Optional.empty(), Optional.of(500)));
  }

  @Test
  void reportsGone() {
    // given
    receiver.answer(request -> WebhookReceiver.Answer.status(410));

    // when
    SendResult result = sender.send(message(event(), clock.instant()));

    // then
    assertThat(result).isEqualTo(new SendResult.Gone());
  }

  @Test
  void givesUpOnAReceiverThatDoesNotAnswerWithinTheTimeout() {
    // given
    receiver.answer(request -> new WebhookReceiver.Answer(200, Map.of(), Duration.ofSeconds(3)));

    // when
    SendResult result;
    try (HttpWebhookSender impatient =
        new HttpWebhookSender(Duration.ofMillis(300), clock, ANY_ADDRESS)) {
      result = impatient.send(message(event(), clock.instant()));
    }

    // then
    assertThat(result)
        .isEqualTo(new SendResult.Failed("no complete answer within 300 ms", Optional.empty()));
  }

  @Test
  void givesUpOnAnAnswerThatTricklesInForLongerThanTheTimeout() throws Exception {
    // given: a receiver that answers at once, then sends its body a byte every 50 ms for 5 s
    try (RawReceiver trickling =
            new RawReceiver(
                out -> {
                  out.write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                          .getBytes(StandardCharsets.US_ASCII));
                  for (int i = 0; i < 100; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(50);
                  }
                });
        HttpWebhookSender impatient =
            new HttpWebhookSender(Duration.ofMillis(500), clock, ANY_ADDRESS)) {

      // when
      SendResult result = impatient.send(trickling.message(event(), secret, clock.instant()));

      // then
      assertThat(result)
          .isEqualTo(new SendResult.Failed("no complete answer within 500 ms", Optional.empty()));
    }
  }

  @Test
  void connectsToNoAddressTheRulesRefuseWhateverTheHostResolvesToWhenTheAttemptIsChecked() {
    // given a sender that allows public addresses only, and a receiver on the loopback address:
    // what the attempt's check saw does not matter, the address connected to is checked again
    receiver.answer(request -> WebhookReceiver.Answer.status(200));
    try (HttpWebhookSender publicOnly =
        new HttpWebhookSender(
            HttpWebhookSender.DEFAULT_TIMEOUT,
            clock,
            new WebhookTargetRules(new SystemHostResolver(), false)::refusal)) {
      for (String url :
          new String[] {
            receiver.url("/by-address").toString(),
            receiver.url("/by-address").toString().replace("127.0.0.1", "localhost")
          }) {

        // when
        SendResult result =
            publicOnly.send(new WebhookMessage(URI.create(url), secret, event(), clock.instant()));

        // then
        assertThat(result).as(url).isInstanceOf(SendResult.Failed.class);
        assertThat(((SendResult.Failed) result).error())
            .as(url)
            .startsWith("not sent: ")
            .contains("loopback");
      }
    }
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void keepsAClientMessagePrintableAndShortInTheErrorItReports() {
    // given a client library's message quoting what a receiver sent: control characters, an
    // escape sequence for a terminal, and far more than an error should hold
    String garbage = "Invalid status line: 2\u0001\u001b[31m\r\n" + "x".repeat(500);

    // when
    String printable = HttpWebhookSender.printable(garbage);

    // then
    assertThat(printable)
        .startsWith("Invalid status line: 2  [31m  xxx")
        .doesNotContainPattern("\\p{Cntrl}")
        .hasSize(201)
        .endsWith("x…");
    assertThat(HttpWebhookSender.printable("Connection reset")).isEqualTo("Connection reset");
  }

  @Test
  void sendsOnceToAReceiverThatDropsTheConnectionWithoutAnswering() throws Exception {
    // given
    try (RawReceiver dropping = new RawReceiver(out -> {})) {

      // when
      SendResult result = sender.send(dropping.message(event(), secret, clock.instant()));

      // then
      assertThat(result).isInstanceOf(SendResult.Failed.class);
      assertThat(dropping.requests()).isEqualTo(1);
    }
  }

  @Test
  void reportsARefusedConnection() throws Exception {
    // given: a port that was free a moment ago
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Event event = event();

    // when
    SendResult result =
        sender.send(
            new WebhookMessage(
                URI.create("http://127.0.0.1:" + port + "/"), secret, event, clock.instant()));

    // then
    assertThat(result)
        .isEqualTo(
            new SendResult.Failed("could not connect: connection refused", Optional.empty()));
  }

  @Test
  void anInterruptedSendThrowsAndKeepsTheInterrupt() throws Exception {
    // given
    CountDownLatch arrived = new CountDownLatch(1);
    receiver.answer(
        request -> {
          arrived.countDown();
          return new WebhookReceiver.Answer(200, Map.of(), Duration.ofSeconds(5));
        });
    CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
    Thread sending =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    sender.send(message(event(), clock.instant()));
                    interruptKept.complete(false);
                  } catch (TriggersException e) {
                    interruptKept.complete(Thread.currentThread().isInterrupted());
                  }
                });
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

    // when
    sending.interrupt();

    // then
    assertThat(interruptKept.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusesANonPositiveTimeout() {
    assertThatThrownBy(() -> new HttpWebhookSender(Duration.ZERO, clock, ANY_ADDRESS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Event event() {
    return fixtures.event(fixtures.organization().id());
  }

  private WebhookMessage message(Event event, Instant timestamp) {
    return message("/hooks", event, timestamp);
  }

  private WebhookMessage message(String path, Event event, Instant timestamp) {
    return new WebhookMessage(receiver.url(path), secret, event, timestamp);
  }

  private ReceivedVerifier verifier() {
    return new ReceivedVerifier(new StandardWebhooksVerifier(secret.value()));
  }

  /** Applies the verifier to a request as the receiver recorded it. */
  private record ReceivedVerifier(StandardWebhooksVerifier verifier) {

    boolean verify(WebhookReceiver.Request request, Instant now) {
      return verifier.verify(
          request.header("webhook-id"),
          request.header("webhook-timestamp"),
          request.header("webhook-signature"),
          request.body(),
          now);
    }
  }

  /**
   * A bare HTTP/1.1 server on a socket, for answers a well-behaved server would not give: reads
   * each request's head and body, lets {@code answer} write whatever it likes, then closes the
   * connection.
   */
  private static final class RawReceiver implements AutoCloseable {

    interface Answer {
      void write(OutputStream out) throws Exception;
    }

    private final ServerSocket socket = new ServerSocket(0);
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;

    RawReceiver(Answer answer) throws IOException {
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!socket.isClosed()) {
                      try (Socket connection = socket.accept()) {
                        readRequest(connection.getInputStream());
                        requests.incrementAndGet();
                        answer.write(connection.getOutputStream());
                      } catch (Exception e) {
                        // The sender gave up, or the receiver is closing: take the next one.
                      }
                    }
                  });
    }

    WebhookMessage message(Event event, SigningSecret secret, Instant at) {
      return new WebhookMessage(
          URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/"), secret, event, at);
    }

    int requests() {
      return requests.get();
    }

    private static void readRequest(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("the request ended early");
        }
        head.append((char) b);
      }
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      if (length.find()) {
        in.readNBytes(Integer.parseInt(length.group(1)));
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        acceptor.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
