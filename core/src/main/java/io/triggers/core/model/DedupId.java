package io.triggers.core.model;

/** A client-chosen key that makes an ingest idempotent within one organization. */
public record DedupId(String value) {

  public static final int MAX_LENGTH = 255;

  /** Checks that the dedup id is present and not too long. */
  public DedupId {
    Text.require("dedup_id", value, MAX_LENGTH);
  }

  @Override
  public String toString() {
    return value;
  }
}
