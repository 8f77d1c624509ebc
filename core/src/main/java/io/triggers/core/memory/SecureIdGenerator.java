package io.triggers.core.memory;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.port.out.IdGenerator;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates UUIDv7 event ids from the clock and keys, secrets and organization ids from {@link
 * SecureRandom}.
 *
 * <p>An event id carries the clock's milliseconds and a 12-bit sequence number, so ids made in the
 * same millisecond still increase; after 4096 ids in one millisecond the timestamp moves on ahead
 * of the clock rather than repeat or go back. The remaining 62 bits are random, so ids from
 * different generators do not collide.
 */
public final class SecureIdGenerator implements IdGenerator {

  private static final int SEQUENCE_BITS = 12;
  private static final long VERSION_7 = 0x7000L;
  private static final long VARIANT_MASK = 0x3FFF_FFFF_FFFF_FFFFL;
  private static final long VARIANT_RFC_4122 = 0x8000_0000_0000_0000L;
  private static final int API_KEY_BYTES = 32;
  private static final int SIGNING_SECRET_BYTES = 24;

  private final Clock clock;
  private final SecureRandom secureRandom = new SecureRandom();
  // The last id's timestamp and sequence number, as (millis << 12 | sequence).
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  /** A generator whose event ids carry {@code clock}'s time. */
  public SecureIdGenerator(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public EventId newEventId() {
    long floor = clock.millis() << SEQUENCE_BITS;
    long stamp = last.updateAndGet(previous -> Math.max(previous + 1, floor));
    long mostSignificant =
        (stamp >>> SEQUENCE_BITS) << 16 | VERSION_7 | (stamp & ((1L << SEQUENCE_BITS) - 1));
    long leastSignificant =
        ThreadLocalRandom.current().nextLong() & VARIANT_MASK | VARIANT_RFC_4122;
    return new EventId(new UUID(mostSignificant, leastSignificant));
  }

  @Override
  public OrganizationId newOrganizationId() {
    ByteBuffer bytes = ByteBuffer.wrap(randomBytes(16));
    long mostSignificant = bytes.getLong() & ~0xF000L | 0x4000L;
    long leastSignificant = bytes.getLong() & VARIANT_MASK | VARIANT_RFC_4122;
    return new OrganizationId(new UUID(mostSignificant, leastSignificant));
  }

  @Override
  public EndpointId newEndpointId() {
    ByteBuffer bytes = ByteBuffer.wrap(randomBytes(16));
    long mostSignificant = bytes.getLong() & ~0xF000L | 0x4000L;
    long leastSignificant = bytes.getLong() & VARIANT_MASK | VARIANT_RFC_4122;
    return new EndpointId(new UUID(mostSignificant, leastSignificant));
  }

  @Override
  public ApiKey newApiKey() {
    return new ApiKey(
        ApiKey.PREFIX
            + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(API_KEY_BYTES)));
  }

  @Override
  public SigningSecret newSigningSecret() {
    return new SigningSecret(
        SigningSecret.PREFIX
            + Base64.getEncoder().encodeToString(randomBytes(SIGNING_SECRET_BYTES)));
  }

  @Override
  public LeaseId newLeaseId() {
    ByteBuffer bytes = ByteBuffer.wrap(randomBytes(16));
    long mostSignificant = bytes.getLong() & ~0xF000L | 0x4000L;
    long leastSignificant = bytes.getLong() & VARIANT_MASK | VARIANT_RFC_4122;
    return new LeaseId(new UUID(mostSignificant, leastSignificant));
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    secureRandom.nextBytes(bytes);
    return bytes;
  }
}
