package io.triggers.core.model;

/**
 * The body of an event: the text of one JSON object, kept exactly as the client sent it (after
 * parsing and re-serialising by the adapter that received it). Core never looks inside.
 */
public record Payload(String json) {

  /** Checks that the payload is a JSON object. */
  public Payload {
    if (json == null || json.isEmpty() || json.charAt(0) != '{') {
      throw new InvalidValueException("payload", "payload must be a JSON object");
    }
  }

  @Override
  public String toString() {
    return "Payload[" + json.length() + " chars]";
  }
}
