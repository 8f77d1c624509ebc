package io.triggers.bootstrap.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@link Settings} from environment variables and flags; a flag wins over its variable. */
public final class SettingsParser {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

  /** The command that migrates the database's schema and exits instead of serving. */
  private static final String MIGRATE_ONLY = "--migrate-only";

  private SettingsParser() {}

  /** Whether the arguments ask for the usage text instead of a server. */
  public static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /** Whether the arguments ask to migrate the database's schema and exit, without serving. */
  public static boolean wantsMigrateOnly(List<String> args) {
    return args.contains(MIGRATE_ONLY);
  }

  /**
   * Reads the settings, a secret given as a file ({@code TRIGGERS_ADMIN_TOKEN_FILE} and the like)
   * included; {@code --migrate-only} is left to {@link #wantsMigrateOnly}.
   *
   * @throws ConfigurationException naming the option that cannot be used, and why
   */
  public static Settings parse(Map<String, String> environment, List<String> args) {
    Map<Option, String> values = new EnumMap<>(Option.class);
    for (Option option : Option.values()) {
      String fromEnvironment = environment.get(option.environmentVariable());
      values.put(option, fromEnvironment != null ? fromEnvironment : option.defaultValue());
    }
    readFlags(args, values);
    SecretFiles.resolve(values);
    return new Settings(
        values.get(Option.HOST),
        integer(Option.PORT, values.get(Option.PORT)),
        optional(values.get(Option.DATABASE_URL)),
        optional(values.get(Option.REDIS_URL)),
        Path.of(values.get(Option.DATA_DIR)),
        optional(values.get(Option.ADMIN_TOKEN)),
        integer(Option.MAX_BODY_BYTES, values.get(Option.MAX_BODY_BYTES)),
        duration(Option.RETENTION, values.get(Option.RETENTION)),
        bool(Option.WEBHOOK_ALLOW_PRIVATE, values.get(Option.WEBHOOK_ALLOW_PRIVATE)),
        wholeNumber(Option.MAX_BODY_MEMORY, values.get(Option.MAX_BODY_MEMORY)),
        duration(Option.BODY_READ_TIMEOUT, values.get(Option.BODY_READ_TIMEOUT)),
        integer(Option.DATABASE_POOL_SIZE, values.get(Option.DATABASE_POOL_SIZE)),
        integer(Option.DELIVERY_CONCURRENCY, values.get(Option.DELIVERY_CONCURRENCY)),
        integer(
            Option.DELIVERY_CONCURRENCY_PER_ORG, values.get(Option.DELIVERY_CONCURRENCY_PER_ORG)),
        duration(Option.WEBHOOK_TIMEOUT, values.get(Option.WEBHOOK_TIMEOUT)),
        optionalInteger(Option.METRICS_PORT, values.get(Option.METRICS_PORT)),
        optional(values.get(Option.METRICS_TOKEN)),
        integer(Option.INBOX_MAX_LEASES, values.get(Option.INBOX_MAX_LEASES)),
        duration(Option.ENDPOINT_DISABLE_AFTER, values.get(Option.ENDPOINT_DISABLE_AFTER)),
        integer(Option.ENDPOINT_BACKOFF_AFTER, values.get(Option.ENDPOINT_BACKOFF_AFTER)),
        logs(values));
  }

  private static LogSettings logs(Map<Option, String> values) {
    return new LogSettings(
        LogSettings.Level.parse(Option.LOG_LEVEL, values.get(Option.LOG_LEVEL)),
        LogSettings.Format.parse(Option.LOG_FORMAT, values.get(Option.LOG_FORMAT)),
        bool(Option.ACCESS_LOG, values.get(Option.ACCESS_LOG)));
  }

  /** The text {@code --help} prints: every option with its variable, flag and default. */
  public static String usage() {
    int flagWidth = MIGRATE_ONLY.length();
    int variableWidth = 0;
    for (Option option : Option.values()) {
      flagWidth = Math.max(flagWidth, option.flag().length());
      variableWidth = Math.max(variableWidth, option.environmentVariable().length());
    }
    String command = "  %-" + flagWidth + "s %s%n";
    StringBuilder text =
        new StringBuilder("Usage: java -jar triggers-server.jar [--flag value]... [")
            .append(MIGRATE_ONLY)
            .append("]\n\n")
            .append(
                String.format(
                    Locale.ROOT,
                    command,
                    MIGRATE_ONLY,
                    "migrate the database's schema, then exit without serving"))
            .append(String.format(Locale.ROOT, command, "--help", "print this text"))
            .append(
                "\nEach flag may also be set by its environment variable; the flag wins. The admin"
                    + " token\nand the URLs may instead be read from files (the *_FILE options),"
                    + " out of sight of ps.\n\n");
    String line = "  %-" + flagWidth + "s %-" + variableWidth + "s %s (default: %s)%n";
    for (Option option : Option.values()) {
      String shown = option.defaultValue().isEmpty() ? "unset" : option.defaultValue();
      text.append(
          String.format(
              Locale.ROOT,
              line,
              option.flag(),
              option.environmentVariable(),
              option.description(),
              shown));
    }
    return text.toString();
  }

  private static void readFlags(List<String> args, Map<Option, String> values) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals(MIGRATE_ONLY)) {
        continue;
      }
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      Option option = byFlag(name);
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new ConfigurationException(name + " needs a value");
        }
        value = args.get(++i);
      }
      values.put(option, value);
    }
  }

  private static Option byFlag(String flag) {
    for (Option option : Option.values()) {
      if (option.flag().equals(flag)) {
        return option;
      }
    }
    throw new ConfigurationException("unknown option " + flag + " (see --help)");
  }

  private static Optional<String> optional(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static OptionalInt optionalInteger(Option option, String value) {
    return value.isBlank() ? OptionalInt.empty() : OptionalInt.of(integer(option, value));
  }

  private static int integer(Option option, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(option.flag() + " must be a whole number, not " + value);
    }
  }

  private static long wholeNumber(Option option, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(option.flag() + " must be a whole number, not " + value);
    }
  }

  private static boolean bool(Option option, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigurationException(option.flag() + " must be true or false");
    };
  }

  static Duration duration(Option option, String value) {
    Matcher matcher = DURATION.matcher(value.strip());
    if (!matcher.matches()) {
      throw new ConfigurationException(
          option.flag() + " must be a number followed by s, m, h or d (like 7d), not " + value);
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
