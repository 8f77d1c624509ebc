package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

  @Test
  void hashesAsSha256InLowerCaseHex() {
    // given the standard SHA-256 test vector
    ApiKey key = new ApiKey("abc");

    // when / then
    assertThat(key.hash())
        .isEqualTo(
            new ApiKeyHash("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }

  @Test
  void givesEveryKeyItsOwnHashWhenManyThreadsHashAtOnce() throws Exception {
    // given keys whose hashes are known one at a time
    List<ApiKey> keys =
        IntStream.range(0, 64).mapToObj(i -> new ApiKey(ApiKey.PREFIX + "key-" + i)).toList();
    List<ApiKeyHash> expected = keys.stream().map(ApiKey::hash).toList();

    // when platform and virtual threads hash them over and over at the same time
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService platform = Executors.newFixedThreadPool(8);
        ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int task = 0; task < 256; task++) {
        int first = task;
        ExecutorService executor = task % 2 == 0 ? platform : virtual;
        results.add(
            executor.submit(
                () -> {
                  for (int round = 0; round < 200; round++) {
                    int at = (first + round) % keys.size();
                    if (!keys.get(at).hash().equals(expected.get(at))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }

      // then each hash equals the one computed alone
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    }
  }

  @Test
  void neverPrintsTheSecret() {
    assertThat(new ApiKey("trg_secret")).hasToString("ApiKey[redacted]");
  }
}
