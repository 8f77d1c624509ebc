package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

  private final Fixtures fixtures = new Fixtures(new MutableClock());
  private final OrganizationId organization = fixtures.organization().id();

  @Test
  void tagsAnOrganizationsRateLimitKeyWithTheOrganization() {
    // when
    String key = RedisRateLimiter.key(organization);

    // then
    assertThat(key).isEqualTo("triggers:rl:{" + organization + "}");
  }

  @Test
  void tagsDedupKeysWithTheOrganizationEvenWhenTheIdHasBraces() {
    // when
    String key = RedisDeduplicator.key(organization, new DedupId("{other}"));

    // then
    assertThat(key).isEqualTo("triggers:dedup:{" + organization + "}:i:{other}");
    assertThat(hashTag(key)).isEqualTo(organization.toString());
  }

  @Test
  void hashesLongDedupIdsIntoKeysOfOneLength() {
    // given
    DedupId longId = new DedupId("a".repeat(RedisDeduplicator.LONGEST_VERBATIM + 1));
    DedupId longest = new DedupId("b".repeat(DedupId.MAX_LENGTH));

    // when
    String first = RedisDeduplicator.key(organization, longId);
    String second = RedisDeduplicator.key(organization, longest);

    // then
    String prefix = "triggers:dedup:{" + organization + "}:h:";
    assertThat(first).startsWith(prefix).hasSize(prefix.length() + 43);
    assertThat(second).startsWith(prefix).hasSize(prefix.length() + 43).isNotEqualTo(first);
  }

  @Test
  void keepsTheQueuesKeysInOneSlot() {
    // when / then
    assertThat(hashTag(RedisDeliveryQueue.STREAM_KEY))
        .isEqualTo(hashTag(RedisDeliveryQueue.SCHEDULED_KEY))
        .isEqualTo("deliveries");
  }

  /** What Redis Cluster hashes: the text between the first '{' and the next '}'. */
  private static String hashTag(String key) {
    int open = key.indexOf('{');
    int close = key.indexOf('}', open + 1);
    return key.substring(open + 1, close);
  }
}
