package io.triggers.adapters.postgres;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.argument.Argument;

/**
 * The array parameters of the delivery ledger's batched statements, sent in PostgreSQL's binary
 * form: numbers as the driver encodes them, ids as {@code text[]} ({@link TextArrayParameter}) that
 * the statement casts to {@code uuid[]}, instants as {@code bigint[]} microseconds since the epoch
 * that the statement turns into timestamps with {@link #timestamp}. Jdbi's own binding of an array
 * sends its text form: each element written and quoted by the driver, and each instant formatted
 * here and parsed again by the database, for every row of every batch.
 */
final class BinaryParameters {

  private BinaryParameters() {}

  /** The ids as a {@code text[]} parameter; the statement casts it with {@code ::uuid[]}. */
  static Argument ids(UUID[] ids) {
    return array(TextArrayParameter.of(ids));
  }

  /** The strings as a {@code text[]} parameter, nulls as SQL NULL. */
  static Argument texts(String[] texts) {
    return array(TextArrayParameter.of(texts));
  }

  /** The instants as a {@code bigint[]} of microseconds, for {@link #timestamp}. */
  static Argument instants(Long[] micros) {
    return array(micros);
  }

  /** The numbers ({@code Integer[]} or {@code Long[]}) as an array of theirs, nulls as SQL NULL. */
  static Argument numbers(Number[] numbers) {
    return array(numbers);
  }

  /** An instant's element of {@link #instants}: microseconds as the database keeps them. */
  static Long micros(Instant instant) {
    return Timestamps.micros(instant);
  }

  /** As {@link #micros}, null when there is no instant. */
  static Long micros(Optional<Instant> instant) {
    return instant.map(Timestamps::micros).orElse(null);
  }

  /**
   * The SQL of a {@code timestamptz} made of the microseconds in the column or expression {@code
   * micros} (null when it is null), exact to the microsecond as the database keeps a timestamp.
   */
  static String timestamp(String micros) {
    return "(TIMESTAMPTZ 'epoch' + " + micros + " * INTERVAL '1 microsecond')";
  }

  /**
   * An array of primitives or boxed numbers, or a {@link TextArrayParameter}, set as the driver
   * sends its class, which for these is PostgreSQL's binary form.
   */
  static Argument array(Object array) {
    return (position, statement, context) -> statement.setObject(position, array);
  }
}
