package io.triggers.core.testing;

import io.triggers.core.port.out.WebhookMessage;
import io.triggers.core.port.out.WebhookSender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A webhook sender that answers as a test tells it to and remembers every message. */
public final class FakeWebhookSender implements WebhookSender {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<WebhookMessage> messages = new CopyOnWriteArrayList<>();
  private volatile Function<WebhookMessage, SendResult> answer =
      message -> new SendResult.Delivered(200);

  /** From now on, answers each message with what {@code answer} returns (it may also block). */
  public void answer(Function<WebhookMessage, SendResult> answer) {
    this.answer = answer;
  }

  public List<WebhookMessage> messages() {
    return List.copyOf(messages);
  }

  @Override
  public Duration timeout() {
    return TIMEOUT;
  }

  @Override
  public SendResult send(WebhookMessage message) {
    messages.add(message);
    return answer.apply(message);
  }
}
