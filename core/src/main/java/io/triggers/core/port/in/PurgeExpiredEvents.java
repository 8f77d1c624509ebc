package io.triggers.core.port.in;

/**
 * Deletes the events that are older than the retention period, whatever their organization or
 * status; the dedup guarantee of an event lasts exactly as long as the event.
 */
public interface PurgeExpiredEvents {

  /** Deletes every event created more than the retention period ago; returns how many. */
  int purgeExpired();
}
