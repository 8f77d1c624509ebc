package io.triggers.adapters.http;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.Organization;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Tells who is calling: the organization behind an API key, or whether the admin token is right.
 */
final class Authentication {

  static final HttpString API_KEY = new HttpString("X-API-Key");
  static final HttpString ADMIN_TOKEN = new HttpString("X-Admin-Token");

  private static final String BEARER = "bearer ";

  private final AuthenticateApiKey authenticateApiKey;
  private final Optional<byte[]> adminTokenDigest;

  Authentication(AuthenticateApiKey authenticateApiKey, Optional<String> adminToken) {
    this.authenticateApiKey = authenticateApiKey;
    this.adminTokenDigest = adminToken.map(Authentication::sha256);
  }

  /** The organization whose key the request carries in X-API-Key or as a bearer token. */
  Optional<Organization> organization(HeaderMap headers) {
    return presentedKey(headers).flatMap(authenticateApiKey::authenticate);
  }

  /**
   * The organization whose key the request carries, if that is known without a lookup; empty when
   * {@link #organization} has to tell. Never blocks, so the IO thread may ask.
   */
  Optional<Organization> organizationWithoutWaiting(HeaderMap headers) {
    return presentedKey(headers).flatMap(authenticateApiKey::authenticateWithoutWaiting);
  }

  /**
   * True when no admin token is configured or the request carries it. Digests are compared, in
   * constant time, so neither the content nor the length of the token leaks through timing.
   */
  boolean admits(HeaderMap headers) {
    if (adminTokenDigest.isEmpty()) {
      return true;
    }
    String presented = headers.getFirst(ADMIN_TOKEN);
    return presented != null && MessageDigest.isEqual(sha256(presented), adminTokenDigest.get());
  }

  private static Optional<ApiKey> presentedKey(HeaderMap headers) {
    String key = headers.getFirst(API_KEY);
    if (key == null) {
      String authorization = headers.getFirst(Headers.AUTHORIZATION);
      if (authorization != null
          && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        key = authorization.substring(BEARER.length()).trim();
      }
    }
    if (key == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ApiKey(key));
    } catch (InvalidValueException e) {
      // Something that cannot be a key is simply not a valid key.
      return Optional.empty();
    }
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new TriggersException("SHA-256 is not available in this JVM", e);
    }
  }
}
