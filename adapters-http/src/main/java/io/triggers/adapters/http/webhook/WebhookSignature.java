package io.triggers.adapters.http.webhook;

import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.TriggersException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of the Standard Webhooks specification: {@code v1,} and the
 * base64 HMAC-SHA256, keyed with the base64-decoded part of the secret after {@code whsec_}, of the
 * message id, the timestamp and the body joined by dots.
 */
final class WebhookSignature {

  private static final String ALGORITHM = "HmacSHA256";

  private WebhookSignature() {}

  static String sign(SigningSecret secret, String messageId, long timestamp, byte[] body) {
    Mac mac;
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key(secret), ALGORITHM));
    } catch (GeneralSecurityException e) {
      throw new TriggersException("HMAC-SHA256 is not available", e);
    }
    mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    mac.update(body);
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
  }

  private static byte[] key(SigningSecret secret) {
    try {
      return Base64.getDecoder().decode(secret.value().substring(SigningSecret.PREFIX.length()));
    } catch (IllegalArgumentException e) {
      // Never the secret itself in a message.
      throw new TriggersException("a webhook signing secret is not valid base64", e);
    }
  }
}
