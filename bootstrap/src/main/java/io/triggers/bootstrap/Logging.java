package io.triggers.bootstrap;

import io.triggers.bootstrap.config.LogSettings;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets the server's logging up from its settings, before the first line is logged: Logback reads
 * {@code logback.xml} (text) or {@code logback-json.xml}, which take the levels from the system
 * properties set here. An operator's own {@code -Dlogback.configurationFile} wins over both.
 *
 * <p>Every library's lines end up there: SLF4J users directly, {@link System.Logger} (core) through
 * SLF4J's platform logging provider, java.util.logging (the PostgreSQL driver) through the bridge
 * installed here, and JBoss Logging (Undertow, XNIO), which finds Logback by itself.
 */
final class Logging {

  static final String LEVEL = "triggers.log.level";
  static final String LIBRARIES_LEVEL = "triggers.log.libraries";
  static final String CONFIGURATION_FILE = "logback.configurationFile";
  static final String JSON_CONFIGURATION = "logback-json.xml";

  private Logging() {}

  /** Call once, before anything logs. */
  static void configure(LogSettings settings) {
    System.setProperty(LEVEL, settings.level().name());
    System.setProperty(LIBRARIES_LEVEL, settings.level().libraries().name());
    if (settings.format() == LogSettings.Format.JSON
        && System.getProperty(CONFIGURATION_FILE) == null) {
      System.setProperty(CONFIGURATION_FILE, JSON_CONFIGURATION);
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
