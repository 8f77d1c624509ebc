package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.bootstrap.config.ConfigurationException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortCheckTest {

  @Test
  void namesThePortInOneLineWhenAnotherProcessListensOnIt() throws Exception {
    // given
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      // when / then
      assertThatThrownBy(() -> Triggers.requireFreePort("0.0.0.0", port))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("port " + port + " is in use")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void letsAFreePortThroughAndLeavesItFree() throws Exception {
    // given
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }

    // when
    Triggers.requireFreePort("127.0.0.1", port);

    // then
    assertThatCode(
            () -> {
              try (ServerSocket again = new ServerSocket(port)) {
                again.getLocalPort();
              }
            })
        .doesNotThrowAnyException();
  }

  @Test
  void checksNothingForAPortPickedAtStart() {
    // when / then
    assertThatCode(() -> Triggers.requireFreePort("0.0.0.0", 0)).doesNotThrowAnyException();
  }

  @Test
  void saysWhyWhenTheAddressCannotBeUsed() {
    // when / then
    assertThatThrownBy(() -> Triggers.requireFreePort("no-such-host.invalid", 8080))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no-such-host.invalid port 8080");
  }
}
