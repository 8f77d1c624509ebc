package io.triggers.core.memory;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.OrganizationChanges;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * News of organization changes within this process, for a single node: each announcement reaches
 * every listener at once, on the announcing thread, and none is ever missed.
 */
public final class LocalOrganizationChanges implements OrganizationChanges {

  /** No listeners yet. */
  public LocalOrganizationChanges() {}

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void announce(OrganizationId organization) {
    Objects.requireNonNull(organization, "organization");
    for (Listener listener : listeners) {
      listener.changed(organization);
    }
  }

  @Override
  public void listen(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }
}
