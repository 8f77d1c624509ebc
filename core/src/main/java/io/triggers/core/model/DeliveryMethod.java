package io.triggers.core.model;

/** How a new event reaches its organization. */
public enum DeliveryMethod {

  /** The organization pulls it from its inbox and acknowledges it: the event starts pending. */
  PULL,

  /**
   * It is also pushed to the organization's webhook: the event starts pending with its first
   * attempt due at its creation time ({@link Delivery#scheduled}).
   */
  PUSH
}
