package io.triggers.core.service;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.SeekInbox;
import io.triggers.core.port.out.InboxLeases;
import java.time.Instant;

/** Re-opens the events acknowledged since a time. */
public final class SeekInboxService implements SeekInbox {

  private final InboxLeases leases;

  /** Creates the use case on the driven ports it needs. */
  public SeekInboxService(InboxLeases leases) {
    this.leases = leases;
  }

  @Override
  public int seek(OrganizationId organization, Instant from) {
    return leases.seek(organization, from);
  }
}
