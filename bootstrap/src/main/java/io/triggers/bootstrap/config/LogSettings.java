package io.triggers.bootstrap.config;

import java.util.Locale;
import java.util.Objects;

/**
 * How the server logs: the least severe level written, one line of text or one JSON object per
 * line, and whether each request leaves an access line.
 */
public record LogSettings(Level level, Format format, boolean accessLog) {

  /** Info, as text, without an access log. */
  public static final LogSettings DEFAULT = new LogSettings(Level.INFO, Format.TEXT, false);

  public LogSettings {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(format, "format");
  }

  /** The least severe level written; {@code OFF} writes nothing. */
  public enum Level {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF;

    /**
     * The level for the libraries under the server (the pool, the migrations, the HTTP server's
     * threads): warnings at least, unless the operator asked for debugging, when they tell all.
     */
    public Level libraries() {
      return this == INFO ? WARN : this;
    }

    static Level parse(Option option, String value) {
      for (Level level : values()) {
        if (level.name().equalsIgnoreCase(value.strip())) {
          return level;
        }
      }
      throw new ConfigurationException(
          option.flag() + " must be one of trace, debug, info, warn, error or off, not " + value);
    }
  }

  /** How each line is written. */
  public enum Format {
    /** A timestamp, the level, the logger's short name and the message. */
    TEXT,
    /** One JSON object per line, with the request's ids where known. */
    JSON;

    static Format parse(Option option, String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "text" -> TEXT;
        case "json" -> JSON;
        default -> throw new ConfigurationException(option.flag() + " must be text or json");
      };
    }
  }
}
