package io.triggers.bootstrap;

import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;
import io.triggers.bootstrap.wiring.DaggerTriggersComponent;
import io.triggers.bootstrap.wiring.TriggersComponent;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Locale;

/** Builds a ready-to-start server from settings; hides the generated Dagger component. */
public final class Triggers {

  private Triggers() {}

  /**
   * Builds the server, opening its stores; fails before opening anything if its HTTP port is taken,
   * and closes what it opened if it fails later.
   *
   * @throws ConfigurationException if the settings cannot be used, such as a port in use
   */
  public static TriggersApplication create(Settings settings, Clock clock) {
    requireFreePort(settings.host(), settings.port());
    TriggersComponent component = DaggerTriggersComponent.factory().create(settings, clock);
    try {
      return component.application();
    } catch (RuntimeException e) {
      component.resources().close();
      throw e;
    }
  }

  /**
   * Checks that the HTTP listener will be able to bind, so that a port in use is reported in one
   * line before the database starts. The listener binds the same way (address reuse on), so the
   * probe neither refuses a port it would get nor keeps it.
   */
  static void requireFreePort(String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw portUnavailable(host, port, e);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot listen on " + host + " port " + port + ": " + e.getMessage());
    }
  }

  /** One line naming the port, whether the probe or the listener itself found it taken. */
  static ConfigurationException portUnavailable(String host, int port, BindException cause) {
    String reason = cause.getMessage() == null ? "" : cause.getMessage();
    if (reason.toLowerCase(Locale.ROOT).contains("in use")) {
      return new ConfigurationException(
          "port "
              + port
              + " is in use (on "
              + host
              + "): stop what listens there, or choose another port with TRIGGERS_PORT or --port");
    }
    return new ConfigurationException("cannot listen on " + host + " port " + port + ": " + reason);
  }
}
