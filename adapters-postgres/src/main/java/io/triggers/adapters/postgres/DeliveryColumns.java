package io.triggers.adapters.postgres;

/**
 * The columns of a delivery's state, for every statement that writes or reads them. Depends on no
 * other class here, so that the statements built from it at class initialisation never see it
 * half-initialised.
 */
final class DeliveryColumns {

  /** The names of a delivery's state's columns, in the order {@link #READ} returns them. */
  static final String NAMES =
      "status, attempts, last_attempt_at, next_attempt_at, last_error, delivered_at";

  /** A delivery's state as {@link DeliveryRows#delivery} reads it. */
  static final String READ =
      "status, attempts, last_attempt_at, "
          + nextAttempt("")
          + " AS next_attempt_at, last_error, delivered_at";

  private DeliveryColumns() {}

  /**
   * A delivery's next attempt as {@link io.triggers.core.model.Delivery} holds it: while a claim's
   * lease runs past the time the attempt was due, the lease's end, before which nobody else makes
   * it (the time a redelivery or a retry after the attempt under way can come at the earliest);
   * otherwise the due time. The table keeps the two apart so that a claim writes only its lease, a
   * column no index reads. Null when no attempt is planned, whatever lease is left over.
   */
  static String nextAttempt(String alias) {
    return ("CASE WHEN %1$sclaimed_until > %1$snext_attempt_at"
            + " THEN %1$sclaimed_until ELSE %1$snext_attempt_at END")
        .formatted(alias);
  }
}
