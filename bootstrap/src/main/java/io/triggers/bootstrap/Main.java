package io.triggers.bootstrap;

import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;
import io.triggers.bootstrap.config.SettingsParser;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Starts the server from environment variables and flags; stops it cleanly on SIGTERM. */
public final class Main {

  private static final int EXIT_BAD_CONFIGURATION = 2;

  private Main() {}

  public static void main(String[] args) {
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
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    // Milliseconds, like the timestamps inside event ids, so every time a client sees agrees.
    try {
      TriggersApplication application = Triggers.create(settings, Clock.tickMillis(ZoneOffset.UTC));
      Runtime.getRuntime().addShutdownHook(new Thread(application::stop, "triggers-shutdown"));
      application.start();
    } catch (ConfigurationException e) {
      log.error("Triggers could not start: {}", e.getMessage());
      System.exit(EXIT_BAD_CONFIGURATION);
    } catch (RuntimeException e) {
      log.error("Triggers could not start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
