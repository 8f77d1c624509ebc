package io.triggers.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.bootstrap.config.ConfigurationException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {

  @TempDir Path directory;

  private DataDirectoryLock held;

  @AfterEach
  void release() throws Exception {
    if (held != null) {
      held.close();
    }
  }

  @Test
  void refusesASecondServerOnADirectoryInUse() {
    // given
    held = DataDirectoryLock.acquire(directory.resolve("data"));

    // when / then
    assertThatThrownBy(() -> DataDirectoryLock.acquire(directory.resolve("data")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(directory.resolve("data").toString())
        .hasMessageContaining("in use by another Triggers server")
        .hasMessageNotContaining("\n");
  }

  @Test
  void refusesTheSameDirectoryNamedAnotherWay() {
    // given
    held = DataDirectoryLock.acquire(directory.resolve("data"));

    // when / then
    assertThatThrownBy(() -> DataDirectoryLock.acquire(directory.resolve("x/../data/.")))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void keepsTheLockWhenASecondServerIsRefused() {
    // given
    held = DataDirectoryLock.acquire(directory);
    assertThatThrownBy(() -> DataDirectoryLock.acquire(directory))
        .isInstanceOf(ConfigurationException.class);

    // when / then: still refused, the refusal released nothing
    assertThatThrownBy(() -> DataDirectoryLock.acquire(directory))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void letsTheNextServerInOnceReleased() throws Exception {
    // given
    DataDirectoryLock.acquire(directory).close();

    // when
    held = DataDirectoryLock.acquire(directory);

    // then
    assertThat(directory.resolve(DataDirectoryLock.FILE_NAME))
        .content()
        .isEqualToIgnoringNewLines(Long.toString(ProcessHandle.current().pid()));
  }

  @Test
  void createsTheDirectoryItLocks() {
    // when
    held = DataDirectoryLock.acquire(directory.resolve("a/b"));

    // then
    assertThat(directory.resolve("a/b")).isDirectory();
  }
}
