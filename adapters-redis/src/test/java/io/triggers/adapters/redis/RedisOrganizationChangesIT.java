package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.testing.OrganizationChangesContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisOrganizationChangesIT extends OrganizationChangesContract {

  /** One connection per node, as each node has its own. */
  private final List<RedisConnection> connections = new ArrayList<>();

  private TestRedis.Server ownServer;

  @Override
  protected OrganizationChanges newNode() {
    return connect(TestRedis.url()).organizationChanges();
  }

  @AfterEach
  void disconnect() {
    connections.forEach(RedisConnection::close);
    if (ownServer != null) {
      ownServer.stop();
    }
  }

  @Test
  void tellsListenersTheyMayHaveMissedChangesOnceSubscribedAgainAfterAnOutage() throws Exception {
    // given
    ownServer = TestRedis.start();
    OrganizationChanges node = connect(ownServer.url()).organizationChanges();
    Heard heard = new Heard();
    node.listen(heard);

    // when
    ownServer.stop();
    ownServer.start();

    // then
    heard.awaitMissedChanges();
    OrganizationId organization = fixtures.organization().id();
    connect(ownServer.url()).organizationChanges().announce(organization);
    assertThat(heard.next()).isEqualTo(organization);
  }

  @Test
  void subscribesOnceRedisStartsWhenItWasDownAtTheStart() throws Exception {
    // given: a node started while its Redis is down
    ownServer = TestRedis.start();
    ownServer.stop();
    OrganizationChanges node = connect(ownServer.url()).organizationChanges();
    Heard heard = new Heard();
    node.listen(heard);

    // when
    ownServer.start();

    // then it subscribes, telling listeners that they may have missed what changed meanwhile
    heard.awaitMissedChanges();
    OrganizationId organization = fixtures.organization().id();
    connect(ownServer.url()).organizationChanges().announce(organization);
    assertThat(heard.next()).isEqualTo(organization);
  }

  @Test
  void announcesWithoutThrowingWhileRedisIsDown() {
    // given
    ownServer = TestRedis.start();
    OrganizationChanges node = connect(ownServer.url()).organizationChanges();

    // when
    ownServer.stop();

    // then
    assertThatCode(() -> node.announce(fixtures.organization().id())).doesNotThrowAnyException();
  }

  private RedisConnection connect(String url) {
    RedisConnection connection = RedisConnection.connect(url);
    connections.add(connection);
    return connection;
  }
}
