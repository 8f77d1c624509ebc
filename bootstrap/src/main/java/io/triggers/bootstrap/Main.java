package io.triggers.bootstrap;

import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;
import io.triggers.bootstrap.config.SettingsParser;
import io.triggers.bootstrap.wiring.SchemaMigration;
import io.triggers.core.model.StorageUnavailableException;
import java.net.BindException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the server from environment variables and flags; stops it cleanly on SIGTERM. */
public final class Main {

  private static final int EXIT_BAD_CONFIGURATION = 2;

  /**
   * Netty (under the Redis client) by default records where one buffer in 128 was allocated, to
   * report buffers never released: a stack trace each time, a cost paid on every request under
   * load, for a check that only finds bugs in Netty or Lettuce. Off unless the operator sets it.
   */
  private static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

  private Main() {}

  private static Optional<BindException> bindFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException bind) {
        return Optional.of(bind);
      }
    }
    return Optional.empty();
  }

  /** Migrates the schema and returns the exit status: 0 done, 2 bad settings, 1 any failure. */
  private static int migrateOnly(Settings settings, Logger log) {
    try {
      int applied = SchemaMigration.run(settings);
      log.info(
          "Triggers migrated the database schema: {} migrations applied, the schema is current;"
              + " exiting without serving",
          applied);
      return 0;
    } catch (ConfigurationException e) {
      log.error("Triggers could not migrate: {}", e.getMessage());
      return EXIT_BAD_CONFIGURATION;
    } catch (StorageUnavailableException e) {
      log.error("Triggers could not migrate: {} ({})", e.getMessage(), rootCause(e));
      return 1;
    } catch (RuntimeException e) {
      log.error("Triggers could not migrate: {}", e.getMessage(), e);
      return 1;
    }
  }

  /**
   * The innermost cause's message, the driver's own words such as "connection refused", with any
   * password a JDBC URL in it might carry redacted.
   */
  private static String rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return message.replaceAll("(?i)(password=)[^&\\s]*", "$1redacted");
  }

  public static void main(String[] args) {
    if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
      System.setProperty(NETTY_LEAK_DETECTION, "disabled");
    }
    List<String> arguments = List.of(args);
    if (SettingsParser.wantsHelp(arguments)) {
      System.out.print(SettingsParser.usage());
      return;
    }
    Settings settings;
    try {
      settings = SettingsParser.parse(System.getenv(), arguments);
    } catch (ConfigurationException e) {
      System.err.println("triggers: " + e.getMessage());
      System.exit(EXIT_BAD_CONFIGURATION);
      return;
    }
    Logging.configure(settings.logs());
    Logger log = LoggerFactory.getLogger(Main.class);
    if (SettingsParser.wantsMigrateOnly(arguments)) {
      System.exit(migrateOnly(settings, log));
      return;
    }
    // Milliseconds, like the timestamps inside event ids, so every time a client sees agrees.
    try {
      TriggersApplication application = Triggers.create(settings, Clock.tickMillis(ZoneOffset.UTC));
      Runtime.getRuntime().addShutdownHook(new Thread(application::stop, "triggers-shutdown"));
      application.start();
    } catch (ConfigurationException e) {
      log.error("Triggers could not start: {}", e.getMessage());
      System.exit(EXIT_BAD_CONFIGURATION);
    } catch (RuntimeException e) {
      Optional<BindException> portTaken = bindFailure(e);
      if (portTaken.isPresent()) {
        // Taken between the check before start-up and the listener's own bind.
        log.error(
            "Triggers could not start: {}",
            Triggers.portUnavailable(settings.host(), settings.port(), portTaken.get())
                .getMessage());
        System.exit(EXIT_BAD_CONFIGURATION);
      }
      log.error("Triggers could not start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
