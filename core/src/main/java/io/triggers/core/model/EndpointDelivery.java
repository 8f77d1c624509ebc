package io.triggers.core.model;

import java.util.Objects;

/** How far delivering one event to one of its organization's endpoints has come. */
public record EndpointDelivery(EndpointId endpointId, Delivery delivery) {

  /** Refuses missing parts. */
  public EndpointDelivery {
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(delivery, "delivery");
  }
}
