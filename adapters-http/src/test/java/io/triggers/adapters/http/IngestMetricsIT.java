package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingest counted by how each event was judged and its sender's tier, through the real server. */
class IngestMetricsIT {

  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void countsAcceptedDuplicateAndRejectedEventsByTier() {
    // given
    TestServer.Organization business = server.organization("business");
    String event = "{\"type\":\"order.created\",\"payload\":{},\"dedup_id\":\"m-1\"}";
    double acceptedBefore = events("accepted", "business");
    double duplicateBefore = events("duplicate", "business");
    double rejectedBefore = events("rejected", "business");

    // when
    assertThat(server.client.post("/api/events", event, business.auth()).status()).isEqualTo(202);
    assertThat(server.client.post("/api/events", event, business.auth()).status()).isEqualTo(409);
    assertThat(
            server
                .client
                .post(
                    "/api/events/batch",
                    "{\"events\":["
                        + event
                        + ",{\"type\":\"order.created\",\"payload\":{}},{\"type\":\"\"}]}",
                    business.auth())
                .status())
        .isEqualTo(202);

    // then
    assertThat(events("accepted", "business") - acceptedBefore).isEqualTo(2);
    assertThat(events("duplicate", "business") - duplicateBefore).isEqualTo(2);
    assertThat(events("rejected", "business") - rejectedBefore).isEqualTo(1);
  }

  @Test
  void countsRateLimitedRequestsAsDenialsAndTheirEvents() {
    // given
    TestServer.Organization free = server.organization("free");
    String event = "{\"type\":\"order.created\",\"payload\":{}}";

    // when
    int status = 202;
    int sent = 0;
    while (status != 429 && sent < 500) {
      status = server.client.post("/api/events", event, free.auth()).status();
      sent++;
    }

    // then
    assertThat(status).isEqualTo(429);
    assertThat(events("rate_limited", "free")).isGreaterThanOrEqualTo(1);
    assertThat(server.meters.get(IngestMetrics.DENIALS).tag("tier", "free").counter().count())
        .isEqualTo(events("rate_limited", "free"));
  }

  @Test
  void recordsTheSizeOfEachBatch() {
    // given
    TestServer.Organization organization = server.organization();
    DistributionSummary sizes = server.meters.get(IngestMetrics.BATCH_SIZE).summary();
    long batchesBefore = sizes.count();
    double eventsBefore = sizes.totalAmount();

    // when
    server.client.post(
        "/api/events/batch",
        "{\"events\":[{\"type\":\"a\",\"payload\":{}},{\"type\":\"b\",\"payload\":{}},"
            + "{\"type\":\"c\",\"payload\":{}}]}",
        organization.auth());

    // then
    assertThat(sizes.count() - batchesBefore).isEqualTo(1);
    assertThat(sizes.totalAmount() - eventsBefore).isEqualTo(3);
  }

  @Test
  void registersEverySeriesBeforeTheFirstEvent() {
    assertThat(server.meters.find(IngestMetrics.EVENTS).counters()).hasSize(16);
    assertThat(server.meters.find(IngestMetrics.DENIALS).counters()).hasSize(4);
  }

  private static double events(String result, String tier) {
    return server
        .meters
        .get(IngestMetrics.EVENTS)
        .tags("result", result, "tier", tier)
        .counter()
        .count();
  }
}
