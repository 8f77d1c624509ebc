package io.triggers.core.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook request as a receiver would, written from the Standard Webhooks specification
 * alone and kept apart from the code that signs: the signed content is {@code id.timestamp.body},
 * the key is the base64 after {@code whsec_}, the header holds space-separated {@code v1,<base64>}
 * signatures of which one must match, and the timestamp must be within five minutes of now.
 */
public final class StandardWebhooksVerifier {

  private static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final byte[] key;

  /** A verifier for requests signed with {@code secret}, {@code whsec_} and base64. */
  public StandardWebhooksVerifier(String secret) {
    if (!secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("not a Standard Webhooks secret");
    }
    this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
  }

  /** Whether a request the {@link WebhookReceiver} got was signed with the secret, just now. */
  public boolean verify(WebhookReceiver.Request request) {
    return verify(
        request.header("webhook-id"),
        request.header("webhook-timestamp"),
        request.header("webhook-signature"),
        request.body(),
        Instant.now());
  }

  /**
   * Whether a request with these {@code webhook-id}, {@code webhook-timestamp} and {@code
   * webhook-signature} headers and this body was signed with the secret, within five minutes of
   * {@code now}.
   */
  public boolean verify(String id, String timestamp, String signatures, String body, Instant now) {
    if (id == null || timestamp == null || signatures == null || body == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] expected = hmacSha256(id + "." + timestamp + "." + body);
    for (String signature : signatures.split(" ")) {
      if (signature.startsWith("v1,")) {
        byte[] given;
        try {
          given = Base64.getDecoder().decode(signature.substring(3));
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (MessageDigest.isEqual(expected, given)) {
          return true;
        }
      }
    }
    return false;
  }

  private byte[] hmacSha256(String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
