package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SystemHostResolverTest {

  private final SystemHostResolver resolver = new SystemHostResolver();

  @Test
  void resolvesAnAddressLiteralToItself() throws Exception {
    // when / then
    assertThat(resolver.resolve("10.1.2.3")).containsExactly(InetAddress.getByName("10.1.2.3"));
    assertThat(resolver.resolve("::1")).containsExactly(InetAddress.getByName("::1"));
  }

  @Test
  void resolvesAnUnknownHostToNothing() {
    // when / then
    assertThat(resolver.resolve("no-such-host.invalid")).isEmpty();
  }

  @Test
  void resolvesABlankNameToNothingRatherThanToTheLoopback() {
    // when / then
    assertThat(resolver.resolve("")).isEmpty();
    assertThat(resolver.resolve(" ")).isEmpty();
  }
}
