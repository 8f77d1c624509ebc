package io.triggers.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A secret API key as presented by a client; only its {@link #hash()} is ever stored. */
public record ApiKey(String value) {

  public static final String PREFIX = "trg_";

  /**
   * A SHA-256 digest never used itself, only cloned: every request hashes its key, and a clone
   * skips the provider look-up of {@link MessageDigest#getInstance}, on any thread, virtual ones
   * included, where a digest per thread would be one per request.
   */
  private static final MessageDigest SHA_256_PROTOTYPE = sha256();

  /** Checks that the key is present and not too long. */
  public ApiKey {
    Text.require("api_key", value, 512);
  }

  /** The SHA-256 hash of this key, the only form in which keys are stored; thread-safe. */
  public ApiKeyHash hash() {
    return ApiKeyHash.of(freshSha256().digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }

  private static MessageDigest freshSha256() {
    try {
      return (MessageDigest) SHA_256_PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      // A provider whose digests cannot be cloned: look one up each time instead.
      return sha256();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new TriggersException("SHA-256 is not available in this JVM", e);
    }
  }
}
