package io.triggers.adapters.http.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.SigningSecret;
import io.triggers.core.testing.StandardWebhooksVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void signsAgainWithAKeptKeyAsItSignedFirst() {
    // given
    SigningSecret secret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    // when
    String first = WebhookSignature.sign(secret, SPEC_ID, TIMESTAMP, SPEC_BODY);
    String again = WebhookSignature.sign(secret, SPEC_ID, TIMESTAMP, SPEC_BODY);
    String other = WebhookSignature.sign(secret, SPEC_ID, TIMESTAMP + 1, SPEC_BODY);

    // then
    assertThat(first).isEqualTo(SPEC_SIGNATURE);
    assertThat(again).isEqualTo(SPEC_SIGNATURE);
    assertThat(other).isNotEqualTo(SPEC_SIGNATURE);
  }

  @Test
  void signsEveryMessageRightWhenManyThreadsSignWithOneSecretAtOnce() throws Exception {
    // given: bodies long enough that signings on different threads overlap
    String secret = secret(-1);
    List<Callable<Boolean>> signings = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String body = "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(16_384) + "\"}";
      signings.add(() -> signsVerifiably(secret, body));
    }

    // when
    List<Boolean> verified = inParallel(signings);

    // then
    assertThat(verified).hasSize(2_000).containsOnly(true);
  }

  @Test
  void signsEachMessageWithItsOwnSecretPastTheSecretsKeptKeyed() throws Exception {
    // given
    List<Callable<Boolean>> signings = new ArrayList<>();
    for (int i = 0; i < WebhookSignature.KEYED_SECRETS + 100; i++) {
      String secret = secret(i);
      String body = "{\"n\":" + i + "}";
      signings.add(() -> signsVerifiably(secret, body));
    }

    // when
    List<Boolean> verified = inParallel(signings);

    // then
    assertThat(verified).hasSize(WebhookSignature.KEYED_SECRETS + 100).containsOnly(true);
  }

  private static String secret(int n) {
    return "whsec_" + Base64.getEncoder().encodeToString(("key number " + n).getBytes());
  }

  /** Signs the body with the secret and checks the signature with an independent verifier. */
  private static boolean signsVerifiably(String secret, String body) {
    String signature =
        WebhookSignature.sign(
            new SigningSecret(secret), "msg_1", TIMESTAMP, body.getBytes(StandardCharsets.UTF_8));
    return new StandardWebhooksVerifier(secret)
        .verify(
            "msg_1", Long.toString(TIMESTAMP), signature, body, Instant.ofEpochSecond(TIMESTAMP));
  }

  private static List<Boolean> inParallel(List<Callable<Boolean>> signings) throws Exception {
    List<Boolean> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (Future<Boolean> signed : threads.invokeAll(signings)) {
        results.add(signed.get());
      }
    }
    return results;
  }
}
