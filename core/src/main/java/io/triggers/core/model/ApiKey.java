package io.triggers.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A secret API key as presented by a client; only its {@link #hash()} is ever stored. */
public record ApiKey(String value) {

  public static final String PREFIX = "trg_";

  public ApiKey {
    Text.require("api_key", value, 512);
  }

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
