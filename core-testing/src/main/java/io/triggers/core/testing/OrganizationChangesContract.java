package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.OrganizationChanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OrganizationChanges} must do; extend it with a factory of nodes. News may
 * travel asynchronously, so listeners are waited for, for a generous while at most.
 */
public abstract class OrganizationChangesContract {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);

  /**
   * One node's view of the medium under test. All nodes made during one test share one medium, and
   * nothing announced in earlier tests reaches them; an implementation that serves one process
   * alone may return the same instance every time.
   */
  protected abstract OrganizationChanges newNode() throws Exception;

  @Test
  void tellsListenersOnEveryNodeOfAnAnnouncedChange() throws Exception {
    // given
    OrganizationChanges announcing = newNode();
    OrganizationChanges other = newNode();
    Heard onAnnouncingNode = new Heard();
    Heard onOtherNode = new Heard();
    announcing.listen(onAnnouncingNode);
    other.listen(onOtherNode);
    OrganizationId organization = fixtures.organization().id();

    // when
    announcing.announce(organization);

    // then
    assertThat(onAnnouncingNode.next()).isEqualTo(organization);
    assertThat(onOtherNode.next()).isEqualTo(organization);
  }

  @Test
  void tellsEveryListenerOfANode() throws Exception {
    // given
    OrganizationChanges announcing = newNode();
    OrganizationChanges listening = newNode();
    Heard first = new Heard();
    Heard second = new Heard();
    listening.listen(first);
    listening.listen(second);
    OrganizationId organization = fixtures.organization().id();

    // when
    announcing.announce(organization);

    // then
    assertThat(first.next()).isEqualTo(organization);
    assertThat(second.next()).isEqualTo(organization);
  }

  @Test
  void passesOnEveryChangeAnnounced() throws Exception {
    // given
    OrganizationChanges announcing = newNode();
    OrganizationChanges listening = newNode();
    Heard heard = new Heard();
    listening.listen(heard);
    List<OrganizationId> organizations =
        List.of(
            fixtures.organization().id(),
            fixtures.organization().id(),
            fixtures.organization().id());

    // when
    organizations.forEach(announcing::announce);

    // then
    List<OrganizationId> received = new ArrayList<>();
    for (int i = 0; i < organizations.size(); i++) {
      received.add(heard.next());
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(organizations);
  }

  @Test
  void announcesWithoutListenersAndTellsThoseWhoListenLater() throws Exception {
    // given
    OrganizationChanges announcing = newNode();
    OrganizationChanges listening = newNode();
    announcing.announce(fixtures.organization().id());
    Heard heard = new Heard();
    listening.listen(heard);
    OrganizationId organization = fixtures.organization().id();

    // when
    announcing.announce(organization);

    // then the earlier news may or may not arrive first, as it may have been under way
    heard.awaitChange(organization);
  }

  /** A listener that keeps what it hears, for the test thread to wait on. */
  protected static final class Heard implements OrganizationChanges.Listener {

    private final BlockingQueue<OrganizationId> changes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Boolean> missed = new LinkedBlockingQueue<>();

    public Heard() {}

    @Override
    public void changed(OrganizationId organization) {
      changes.add(organization);
    }

    @Override
    public void mayHaveMissedChanges() {
      missed.add(Boolean.TRUE);
    }

    /** The next change heard, waiting for it for a generous while; fails if none comes. */
    public OrganizationId next() throws InterruptedException {
      OrganizationId next = changes.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(next).as("a change heard within " + PATIENCE).isNotNull();
      return next;
    }

    /** Waits until {@code organization} is heard to have changed, skipping other news. */
    public void awaitChange(OrganizationId organization) throws InterruptedException {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      OrganizationId next;
      do {
        next = changes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        assertThat(next).as(organization + " heard within " + PATIENCE).isNotNull();
      } while (!next.equals(organization));
    }

    /** Waits for word that changes may have been missed; fails if none comes. */
    public void awaitMissedChanges() throws InterruptedException {
      Boolean told = missed.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(told).as("told of missed changes within " + PATIENCE).isNotNull();
    }
  }
}
