package io.triggers.adapters.http.webhook;

import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.TriggersException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of the Standard Webhooks specification: {@code v1,} and the
 * base64 HMAC-SHA256, keyed with the base64-decoded part of the secret after {@code whsec_}, of the
 * message id, the timestamp and the body joined by dots.
 *
 * <p>Looking up the algorithm and keying it cost more than signing a small body, and an endpoint
 * signs every request with the same secret, so each secret's keyed {@link Mac} is kept and a copy
 * of it signs. At most {@link #KEYED_SECRETS} are kept; past that the cache starts afresh.
 */
final class WebhookSignature {

  private static final String ALGORITHM = "HmacSHA256";

  /** Secrets kept keyed at once: beyond the endpoints a node usually sends to. */
  static final int KEYED_SECRETS = 4_096;

  private static final Map<SigningSecret, Mac> KEYED = new ConcurrentHashMap<>();

  private WebhookSignature() {}

  static String sign(SigningSecret secret, String messageId, long timestamp, byte[] body) {
    Mac mac = keyed(secret);
    mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    mac.update(body);
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
  }

  /** A Mac of its own for this signature, keyed with the secret. */
  private static Mac keyed(SigningSecret secret) {
    Mac prototype = KEYED.get(secret);
    if (prototype == null) {
      prototype = newMac(secret);
      if (KEYED.size() >= KEYED_SECRETS) {
        KEYED.clear();
      }
      KEYED.putIfAbsent(secret, prototype);
    }
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return newMac(secret);
    }
  }

  private static Mac newMac(SigningSecret secret) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key(secret), ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new TriggersException("HMAC-SHA256 is not available", e);
    }
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
