package io.triggers.adapters.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach PostgreSQL and how to batch writes to it.
 *
 * <p>An empty {@code user} or {@code password} means "not given here": the driver then takes it
 * from the JDBC URL, if there. {@code maxBatchSize} bounds the rows of one group commit; {@code
 * maxLinger} is how long a writer may wait for more rows while another batch is being committed.
 */
public record PostgresSettings(
    String jdbcUrl,
    String user,
    String password,
    int maxPoolSize,
    int maxBatchSize,
    Duration maxLinger) {

  /** The connections a pool opens at most unless told otherwise. */
  public static final int DEFAULT_MAX_POOL_SIZE = 16;

  /** The group commit's writers each hold a connection, and every other caller needs one more. */
  public static final int MIN_POOL_SIZE = GroupCommitter.WRITERS + 1;

  /** The rows one group commit writes at most unless told otherwise. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 500;

  /** How long a writer waits for more rows unless told otherwise. */
  public static final Duration DEFAULT_MAX_LINGER = Duration.ofMillis(1);

  private static final String JDBC_PREFIX = "jdbc:postgresql:";
  private static final int MAX_BATCH_SIZE_LIMIT = 10_000;
  private static final Duration MAX_LINGER_LIMIT = Duration.ofSeconds(1);

  /** Checks the URL's prefix and that the sizes and linger are within their limits. */
  public PostgresSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(maxLinger, "maxLinger");
    if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
      throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with " + JDBC_PREFIX);
    }
    if (maxPoolSize < MIN_POOL_SIZE) {
      throw new IllegalArgumentException("maxPoolSize must be at least " + MIN_POOL_SIZE);
    }
    if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE_LIMIT) {
      throw new IllegalArgumentException(
          "maxBatchSize must be between 1 and " + MAX_BATCH_SIZE_LIMIT);
    }
    if (maxLinger.isNegative() || maxLinger.compareTo(MAX_LINGER_LIMIT) > 0) {
      throw new IllegalArgumentException("maxLinger must be between 0 and " + MAX_LINGER_LIMIT);
    }
  }

  /**
   * Settings with default pool and batch sizes for a {@code jdbc:postgresql://…} URL, or for a
   * {@code postgres://user:password@host:port/database} (also {@code postgresql://}) URL, whose
   * query parameters are passed on to the driver.
   */
  public static PostgresSettings fromUrl(String url) {
    Objects.requireNonNull(url, "url");
    if (url.startsWith(JDBC_PREFIX)) {
      return withDefaults(url, "", "");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the database URL is not a valid URI", e);
    }
    String scheme = uri.getScheme();
    if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)) {
      throw new IllegalArgumentException(
          "the database URL must start with jdbc:postgresql:, postgres: or postgresql:");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the database URL names no host");
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() != -1) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      jdbc.append('?').append(uri.getRawQuery());
    }
    String user = "";
    String password = "";
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    }
    return withDefaults(jdbc.toString(), user, password);
  }

  /** These settings with another pool size. */
  public PostgresSettings withMaxPoolSize(int size) {
    return new PostgresSettings(jdbcUrl, user, password, size, maxBatchSize, maxLinger);
  }

  private static PostgresSettings withDefaults(String jdbcUrl, String user, String password) {
    return new PostgresSettings(
        jdbcUrl, user, password, DEFAULT_MAX_POOL_SIZE, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_LINGER);
  }

  /** Percent-decodes a part of the user info, where a plus sign is itself. */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Never prints the password, nor one carried in the JDBC URL. */
  @Override
  public String toString() {
    return "PostgresSettings[jdbcUrl="
        + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1redacted")
        + ", user="
        + user
        + ", password="
        + (password.isEmpty() ? "" : "redacted")
        + ", maxPoolSize="
        + maxPoolSize
        + ", maxBatchSize="
        + maxBatchSize
        + ", maxLinger="
        + maxLinger
        + "]";
  }
}
