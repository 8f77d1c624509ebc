package io.triggers.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The SHA-256 digest of an API key, as 64 lower-case hex digits: what stores keep and look up. */
public record ApiKeyHash(String hex) {

  /** Checks that the hash is 64 hex digits. */
  public ApiKeyHash {
    if (hex == null || hex.length() != 64) {
      throw new IllegalArgumentException("an API key hash is 64 hex digits of SHA-256");
    }
    HexFormat.of().parseHex(hex);
  }

  static ApiKeyHash of(byte[] digest) {
    return new ApiKeyHash(HexFormat.of().formatHex(digest));
  }

  /** Compares in constant time, so the comparison leaks nothing about how much matched. */
  public boolean matches(ApiKeyHash other) {
    return MessageDigest.isEqual(
        hex.getBytes(StandardCharsets.US_ASCII), other.hex.getBytes(StandardCharsets.US_ASCII));
  }
}
