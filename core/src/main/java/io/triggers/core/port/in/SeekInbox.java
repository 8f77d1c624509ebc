package io.triggers.core.port.in;

import io.triggers.core.model.OrganizationId;
import java.time.Instant;

/** Rewinds the inbox to a time: what was acknowledged since then is leasable again. */
public interface SeekInbox {

  /**
   * Puts every retained event created at or after {@code from} that was acknowledged or delivered
   * back in the inbox, without repeating its webhook deliveries; dead events stay dead. Returns how
   * many came back.
   */
  int seek(OrganizationId organization, Instant from);
}
