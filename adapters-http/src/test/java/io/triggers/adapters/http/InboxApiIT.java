package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InboxApiIT {

  private static TestServer server;
  private static ApiClient client;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    client = server.client;
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void listsUndeliveredEventsNewestFirstByDefault() {
    // given
    Organization organization = server.organization();
    String first = server.ingest(organization, "a");
    String second = server.ingest(organization, "b");
    String third = server.ingest(organization, "c");
    client.postWithoutBody("/api/ack/" + second, organization.auth());

    // when
    ApiClient.Response response = client.get("/api/inbox", organization.auth());

    // then
    assertThat(response.status()).isEqualTo(200);
    JsonNode events = response.json().get("events");
    assertThat(ids(events)).containsExactly(third, first);
    JsonNode newest = events.get(0);
    assertThat(newest.get("type").asText()).isEqualTo("c");
    assertThat(newest.get("payload").get("n").asInt()).isEqualTo(1);
    assertThat(newest.get("dedup_id").isNull()).isTrue();
    assertThat(newest.get("created_at").asText()).isEqualTo(server.clock.instant().toString());
    assertThat(newest.get("delivery_status").asText()).isEqualTo("pending");
    assertThat(newest.get("attempts").asInt()).isZero();
    assertThat(response.json().get("next_cursor").isNull()).isTrue();
  }

  @Test
  void filtersByStatusAndTypeAndSortsOldestFirstOnRequest() {
    // given
    Organization organization = server.organization();
    String first = server.ingest(organization, "a");
    String second = server.ingest(organization, "b");
    String third = server.ingest(organization, "a");
    client.postWithoutBody("/api/ack/" + second, organization.auth());

    // when
    JsonNode delivered = client.get("/api/inbox?status=delivered", organization.auth()).json();
    JsonNode all = client.get("/api/inbox?status=all&order=asc", organization.auth()).json();
    JsonNode typeA = client.get("/api/inbox?type=a&order=desc", organization.auth()).json();
    JsonNode failed = client.get("/api/inbox?status=failed", organization.auth()).json();

    // then
    assertThat(ids(delivered.get("events"))).containsExactly(second);
    assertThat(delivered.get("events").get(0).get("delivery_status").asText())
        .isEqualTo("delivered");
    assertThat(ids(all.get("events"))).containsExactly(first, second, third);
    assertThat(ids(typeA.get("events"))).containsExactly(third, first);
    assertThat(failed.get("events")).isEmpty();
  }

  @Test
  void refusesBadQueryParameters() {
    // given
    Organization organization = server.organization();

    // when / then
    for (String query :
        new String[] {
          "status=done",
          "status=",
          "limit=0",
          "limit=1001",
          "limit=ten",
          "limit=",
          "order=sideways",
          "cursor=not-a-cursor",
          "cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          "type="
        }) {
      ApiClient.Response response = client.get("/api/inbox?" + query, organization.auth());
      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.error()).as(query).isEqualTo("invalid_request");
      assertThat(response.json().get("field").asText()).as(query).isEqualTo(query.split("=")[0]);
    }
  }

  @Test
  void pagesWithACursorUntilTheLastPage() {
    // given
    Organization organization = server.organization();
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      posted.add(server.ingest(organization, "p"));
    }

    // when
    JsonNode page1 = client.get("/api/inbox?limit=2&order=asc", organization.auth()).json();
    String cursor1 = page1.get("next_cursor").asText();
    JsonNode page2 =
        client.get("/api/inbox?limit=2&order=asc&cursor=" + cursor1, organization.auth()).json();
    String cursor2 = page2.get("next_cursor").asText();
    JsonNode page3 =
        client.get("/api/inbox?limit=2&order=asc&cursor=" + cursor2, organization.auth()).json();

    // then
    assertThat(ids(page1.get("events"))).containsExactlyElementsOf(posted.subList(0, 2));
    assertThat(ids(page2.get("events"))).containsExactlyElementsOf(posted.subList(2, 4));
    assertThat(ids(page3.get("events"))).containsExactlyElementsOf(posted.subList(4, 5));
    assertThat(page3.get("next_cursor").isNull()).isTrue();
  }

  @Test
  void pagingWhileEventsArriveNeitherRepeatsNorSkipsAnEvent() throws Exception {
    for (String order : new String[] {"desc", "asc"}) {
      // given
      Organization organization = server.organization();
      Set<String> before = new HashSet<>();
      for (int i = 0; i < 35; i++) {
        before.add(server.ingest(organization, "before"));
      }
      AtomicBoolean paging = new AtomicBoolean(true);
      AtomicInteger arrived = new AtomicInteger();
      Thread producer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (paging.get() && arrived.get() < 500) {
                      server.ingest(organization, "during");
                      arrived.incrementAndGet();
                    }
                  });

      // when
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        String query =
            "/api/inbox?limit=10&order=" + order + (cursor == null ? "" : "&cursor=" + cursor);
        JsonNode page = client.get(query, organization.auth()).json();
        seen.addAll(ids(page.get("events")));
        cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        pages++;
      } while (cursor != null && pages < 100);
      paging.set(false);
      producer.join();

      // then
      assertThat(seen).as(order).doesNotHaveDuplicates();
      assertThat(seen).as(order).containsAll(before);
    }
  }

  @Test
  void acknowledgesAnEventIdempotently() {
    // given
    Organization organization = server.organization();
    String id = server.ingest(organization, "t");

    // when
    ApiClient.Response first = client.postWithoutBody("/api/ack/" + id, organization.auth());
    server.clock.advance(java.time.Duration.ofSeconds(5));
    ApiClient.Response second = client.postWithoutBody("/api/ack/" + id, organization.auth());

    // then
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("id").asText()).isEqualTo(id);
    assertThat(first.json().get("status").asText()).isEqualTo("delivered");
    String acknowledgedAt = first.json().get("acknowledged_at").asText();
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("acknowledged_at").asText()).isEqualTo(acknowledgedAt);
    JsonNode delivery = client.get("/api/events/" + id, organization.auth()).json().get("delivery");
    assertThat(delivery.get("status").asText()).isEqualTo("delivered");
    assertThat(delivery.get("delivered_at").asText()).isEqualTo(acknowledgedAt);
  }

  @Test
  void acknowledgesABatchAndReportsWhatItCouldNotFind() {
    // given
    Organization organization = server.organization();
    String one = server.ingest(organization, "t");
    String two = server.ingest(organization, "t");
    String unknown = "01900000-0000-7000-8000-000000000001";

    // when
    ApiClient.Response response =
        client.post(
            "/api/inbox/ack",
            "{\"event_ids\":[\""
                + one
                + "\",\""
                + two
                + "\",\""
                + one
                + "\",\""
                + unknown
                + "\",\"garbage\"]}",
            organization.auth());

    // then
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("acknowledged").asInt()).isEqualTo(2);
    assertThat(response.json().get("not_found"))
        .extracting(JsonNode::asText)
        .containsExactly(unknown, "garbage");
    assertThat(client.get("/api/inbox", organization.auth()).json().get("events")).isEmpty();
  }

  @Test
  void refusesABatchAcknowledgementThatIsMalformedOrTooLarge() {
    // given
    Organization organization = server.organization();
    String tooMany =
        "{\"event_ids\":["
            + "\"01900000-0000-7000-8000-000000000001\",".repeat(1000)
            + "\"01900000-0000-7000-8000-000000000001\"]}";

    // when
    ApiClient.Response large = client.post("/api/inbox/ack", tooMany, organization.auth());
    ApiClient.Response notStrings =
        client.post("/api/inbox/ack", "{\"event_ids\":[1,2]}", organization.auth());
    ApiClient.Response missing = client.post("/api/inbox/ack", "{}", organization.auth());
    ApiClient.Response empty =
        client.post("/api/inbox/ack", "{\"event_ids\":[]}", organization.auth());

    // then
    assertThat(large.status()).isEqualTo(400);
    assertThat(large.json().get("field").asText()).isEqualTo("event_ids");
    assertThat(notStrings.status()).isEqualTo(400);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.json().get("acknowledged").asInt()).isZero();
  }

  private static List<String> ids(JsonNode events) {
    List<String> ids = new ArrayList<>();
    events.forEach(event -> ids.add(event.get("id").asText()));
    return ids;
  }
}
