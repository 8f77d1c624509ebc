package io.triggers.microbenchmarks;

import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.model.EventId;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * A new UUIDv7 event id, as every ingested event gets one, from one thread and from all threads at
 * once sharing the generator's last timestamp.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdGeneratorBenchmark {

  private SecureIdGenerator ids;

  @Setup
  public void setUp() {
    ids = new SecureIdGenerator(Clock.tickMillis(ZoneOffset.UTC));
  }

  @Benchmark
  public EventId newEventId() {
    return ids.newEventId();
  }

  @Benchmark
  @Threads(Threads.MAX)
  public EventId newEventIdAllThreads() {
    return ids.newEventId();
  }
}
