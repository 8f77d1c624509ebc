package io.triggers.core.port.out;

import io.triggers.core.model.OrganizationId;

/**
 * Spreads the news that an organization's key or webhook changed to every node, so that each drops
 * what it cached about that organization.
 *
 * <p>Delivery is at most once: a node that could not hear for a while (a lost connection) is told
 * afterwards that it may have missed news ({@link Listener#mayHaveMissedChanges}), and should then
 * drop everything it cached. Listeners run on a thread of the implementation, which may be the
 * announcing thread or a network thread, so they must be quick, must not block and must not throw.
 * Thread-safe.
 */
public interface OrganizationChanges {

  /**
   * Tells every listener, on this node and on every other node, that {@code organization} changed.
   * Returns once the news has been handed on (for a shared medium: the medium acknowledged it), so
   * that other nodes hear it about as soon as the call returns. Never throws: news that cannot be
   * handed on is logged, and nodes that missed it see the change when their cached entries expire.
   */
  void announce(OrganizationId organization);

  /**
   * Registers {@code listener} for news announced from now on, by any node; news announced just
   * before may reach it too, if it was still under way.
   */
  void listen(Listener listener);

  /** Hears about changes; see {@link OrganizationChanges} for the thread it is called on. */
  interface Listener {

    /** {@code organization}'s key or webhook changed. */
    void changed(OrganizationId organization);

    /** News may have been lost (a reconnection, for instance); anything may have changed. */
    void mayHaveMissedChanges();
  }
}
