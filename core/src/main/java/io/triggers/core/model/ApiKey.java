package io.triggers.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A secret API key as presented by a client; only its {@link #hash()} is ever stored. */
public record ApiKey(String value) {

  public static final String PREFIX = "trg_";

  /** Checks that the key is present and not too long. */
  public ApiKey {
    Text.require("api_key", value, 512);
  }

  /** The SHA-256 hash of this key, the only form in which keys are stored. */
  public ApiKeyHash hash() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return ApiKeyHash.of(sha256.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new TriggersException("SHA-256 is not available in this JVM", e);
    }
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }
}
