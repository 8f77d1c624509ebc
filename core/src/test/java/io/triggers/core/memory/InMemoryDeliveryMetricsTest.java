package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.port.out.DeliveryMetrics;
import io.triggers.core.testing.DeliveryMetricsContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryDeliveryMetricsTest extends DeliveryMetricsContract {

  private InMemoryDeliveryMetrics memory;

  @Override
  protected DeliveryMetrics newMetrics() {
    memory = new InMemoryDeliveryMetrics();
    return memory;
  }

  @Override
  protected long attempts(Class<? extends AttemptResult> kind) {
    return memory.attempts(kind);
  }

  @Override
  protected long deliveries() {
    return memory.deliveries();
  }

  @Test
  void addsUpLatenciesCountingNegativeOnesAsZero() {
    // when
    memory.delivered(Duration.ofMillis(300));
    memory.delivered(Duration.ofMillis(-50));
    memory.delivered(Duration.ofMillis(200));

    // then
    assertThat(memory.totalLatency()).isEqualTo(Duration.ofMillis(500));
  }
}
