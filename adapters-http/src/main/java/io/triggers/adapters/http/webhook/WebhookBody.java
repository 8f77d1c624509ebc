package io.triggers.adapters.http.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.triggers.core.model.Event;
import io.triggers.core.model.TriggersException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The JSON body of a webhook request: {@code {id, type, payload, dedup_id, created_at}}, with the
 * payload written exactly as it is stored.
 */
final class WebhookBody {

  /**
   * With its buffers pooled rather than kept per thread: bodies are written on a virtual thread per
   * delivery, which would otherwise allocate a fresh set for every one.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder().recyclerPool(JsonRecyclerPools.newBoundedPool(64)).build();

  private WebhookBody() {}

  static byte[] of(Event event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(event.payload().json().length() + 192);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("id", event.id().toString());
      json.writeStringField("type", event.type().value());
      json.writeFieldName("payload");
      json.writeRawValue(event.payload().json());
      json.writeFieldName("dedup_id");
      if (event.dedupId().isPresent()) {
        json.writeString(event.dedupId().get().value());
      } else {
        json.writeNull();
      }
      json.writeStringField("created_at", event.createdAt().toString());
      json.writeEndObject();
    } catch (IOException e) {
      throw new TriggersException("could not write a webhook body", e);
    }
    return out.toByteArray();
  }
}
