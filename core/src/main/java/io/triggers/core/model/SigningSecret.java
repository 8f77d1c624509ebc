package io.triggers.core.model;

/** The secret a webhook's requests are signed with: {@code whsec_} followed by base64 key bytes. */
public record SigningSecret(String value) {

  public static final String PREFIX = "whsec_";

  /** Checks that the secret has its prefix and a value after it. */
  public SigningSecret {
    if (value == null || !value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
    }
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "SigningSecret[redacted]";
  }
}
