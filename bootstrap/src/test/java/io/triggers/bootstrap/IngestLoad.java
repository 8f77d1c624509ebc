package io.triggers.bootstrap;

import io.triggers.adapters.http.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent clients posting events to one server until stopped, keeping every accepted id and
 * every answer with the times it was asked and answered, for the fault tests.
 */
final class IngestLoad {

  /** One request: when it was sent and answered (System.nanoTime), and its status or failure. */
  record Answer(long sentAt, long answeredAt, Optional<Integer> status, String failure) {}

  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> clients = new ArrayList<>();

  private IngestLoad() {}

  /** Starts {@code clients} clients, each sending one event after another, half with a dedup id. */
  static IngestLoad start(ApiClient api, String apiKey, int clients) {
    IngestLoad load = new IngestLoad();
    AtomicInteger sequence = new AtomicInteger();
    for (int i = 0; i < clients; i++) {
      load.clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (load.running.get()) {
                      int n = sequence.incrementAndGet();
                      long sentAt = System.nanoTime();
                      try {
                        ApiClient.Response response =
                            api.ingest(
                                apiKey, n % 2 == 0 ? Optional.of("load-" + n) : Optional.empty());
                        if (response.status() == 202) {
                          load.accepted.add(ApiClient.field(response.body(), "id"));
                        }
                        load.answers.add(
                            new Answer(
                                sentAt, System.nanoTime(), Optional.of(response.status()), ""));
                      } catch (RuntimeException e) {
                        load.answers.add(
                            new Answer(sentAt, System.nanoTime(), Optional.empty(), e.toString()));
                        pause();
                      }
                    }
                  }));
    }
    return load;
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every client after its request under way is answered. */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread client : clients) {
      client.join(Duration.ofSeconds(60));
    }
  }

  Set<String> accepted() {
    return Set.copyOf(accepted);
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** How many answers of each status, and of failures without one ("no answer"). */
  Map<String, Long> tally() {
    Map<String, Long> tally = new java.util.TreeMap<>();
    for (Answer answer : answers) {
      tally.merge(answer.status().map(String::valueOf).orElse("no answer"), 1L, Long::sum);
    }
    return tally;
  }

  /** Waits until at least {@code count} events were accepted, failing after {@code patience}. */
  void awaitAccepted(int count, Duration patience) {
    Eventually.await(patience, () -> accepted.size() >= count);
  }
}
