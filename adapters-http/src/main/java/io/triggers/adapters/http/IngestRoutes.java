package io.triggers.adapters.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.Organization;
import io.triggers.core.model.Payload;
import io.triggers.core.model.RateLimit;
import io.triggers.core.port.in.IngestEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;

/**
 * The routes of ingest: one event, or a batch of up to 100 whose items are judged one by one. How
 * each event was judged is counted in the {@link IngestMetrics}.
 */
final class IngestRoutes {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final IngestEvent ingestEvent;
  private final IngestMetrics metrics;

  IngestRoutes(IngestEvent ingestEvent, IngestMetrics metrics) {
    this.ingestEvent = ingestEvent;
    this.metrics = metrics;
  }

  List<Route> routes() {
    return List.of(
        Route.nonBlocking("POST", "/api/events", Route.Access.ORGANIZATION, this::ingest)
            .withJsonBody(),
        Route.nonBlocking("POST", "/api/events/batch", Route.Access.ORGANIZATION, this::ingestBatch)
            .withJsonBody());
  }

  CompletionStage<Reply> ingest(Call call) {
    IngestEvent.Command command = command(call.body(), call.header(IDEMPOTENCY_KEY));
    Organization organization = call.organization();
    return ingestEvent
        .ingestAsync(organization, command)
        .thenApply(
            outcome -> {
              count(organization, outcome);
              return reply(outcome);
            });
  }

  private void count(Organization organization, IngestEvent.Outcome outcome) {
    IngestMetrics.Result result =
        switch (outcome) {
          case IngestEvent.Outcome.Accepted accepted -> IngestMetrics.Result.ACCEPTED;
          case IngestEvent.Outcome.Duplicate duplicate -> IngestMetrics.Result.DUPLICATE;
          case IngestEvent.Outcome.RateLimited limited -> {
            metrics.denied(organization.tier());
            yield IngestMetrics.Result.RATE_LIMITED;
          }
        };
    metrics.events(organization.tier(), result, 1);
  }

  private void count(
      Organization organization, ParsedBatch batch, IngestEvent.BatchOutcome outcome) {
    metrics.batch(batch.size());
    metrics.events(organization.tier(), IngestMetrics.Result.REJECTED, batch.rejections().size());
    switch (outcome) {
      case IngestEvent.BatchOutcome.Processed processed -> {
        long accepted =
            processed.results().stream()
                .filter(IngestEvent.ItemResult.Accepted.class::isInstance)
                .count();
        metrics.events(organization.tier(), IngestMetrics.Result.ACCEPTED, (int) accepted);
        metrics.events(
            organization.tier(),
            IngestMetrics.Result.DUPLICATE,
            processed.results().size() - (int) accepted);
      }
      case IngestEvent.BatchOutcome.RateLimited limited -> {
        metrics.denied(organization.tier());
        metrics.events(
            organization.tier(), IngestMetrics.Result.RATE_LIMITED, batch.commands().size());
      }
    }
  }

  CompletionStage<Reply> ingestBatch(Call call) {
    ParsedBatch batch = batch(call.body());
    Organization organization = call.organization();
    if (batch.commands().isEmpty()) {
      metrics.batch(batch.size());
      metrics.events(organization.tier(), IngestMetrics.Result.REJECTED, batch.size());
      return CompletableFuture.completedFuture(
          Reply.error(400, "invalid_request", "every event in the batch is invalid")
              .withDetail("field", "events")
              .withDetail("results", batch.results(List.of())));
    }
    return ingestEvent
        .ingestBatchAsync(organization, batch.commands())
        .thenApply(
            outcome -> {
              count(organization, batch, outcome);
              return batch.reply(outcome);
            });
  }

  static Reply reply(IngestEvent.Outcome outcome) {
    return switch (outcome) {
      case IngestEvent.Outcome.Accepted accepted ->
          RateLimitHeaders.on(
              Reply.raw(202, Reply.JSON, AcceptedJson.of(accepted.event()).toJson()),
              accepted.rateLimit());
      case IngestEvent.Outcome.Duplicate duplicate ->
          RateLimitHeaders.on(
              Reply.error(409, "duplicate_event", "an event with this dedup_id already exists")
                  .withDetail("id", duplicate.original().toString()),
              duplicate.rateLimit());
      case IngestEvent.Outcome.RateLimited limited ->
          RateLimitHeaders.on(rateLimited(limited.rateLimit()), limited.rateLimit());
    };
  }

  /**
   * One event from a request body, decoded straight into its fields when {@link EventJsonDecoder}
   * can, else through the JSON tree, which also refuses what is wrong with it.
   */
  static IngestEvent.Command command(byte[] body, Optional<String> idempotencyKey) {
    Optional<EventJsonDecoder.Fields> decoded = EventJsonDecoder.decode(body);
    if (decoded.isEmpty()) {
      return command(Json.parseObject(body), idempotencyKey);
    }
    return command(decoded.get(), idempotencyKey);
  }

  /** One event from its decoded fields, each value checked as the tree path checks it. */
  private static IngestEvent.Command command(
      EventJsonDecoder.Fields fields, Optional<String> idempotencyKey) {
    return command(
        new EventType(fields.type()),
        new Payload(fields.payload()),
        fields.dedupId().map(DedupId::new),
        idempotencyKey);
  }

  /**
   * A batch body's items, each judged on its own; decoded straight into their fields when {@link
   * EventJsonDecoder} can, else through the JSON tree, which also refuses what is wrong with it.
   */
  static ParsedBatch batch(byte[] body) {
    return EventJsonDecoder.decodeBatch(body, IngestEvent.MAX_BATCH_SIZE)
        .map(ParsedBatch::decoded)
        .orElseGet(() -> ParsedBatch.of(batchEvents(Json.parseObject(body))));
  }

  /** A batch body's events from its JSON tree, refusing a missing, empty or too long list. */
  static ArrayNode batchEvents(JsonNode body) {
    ArrayNode events = Json.requiredArray(body, "events");
    if (events.isEmpty() || events.size() > IngestEvent.MAX_BATCH_SIZE) {
      throw new InvalidValueException(
          "events", "events must hold 1 to " + IngestEvent.MAX_BATCH_SIZE + " events");
    }
    return events;
  }

  /**
   * One event from its JSON object; the Idempotency-Key header stands for dedup_id and must agree
   * with it when both are given.
   */
  static IngestEvent.Command command(JsonNode item, Optional<String> idempotencyKey) {
    if (!item.isObject()) {
      throw new InvalidValueException("event", "an event must be a JSON object");
    }
    return command(
        new EventType(Json.requiredText(item, "type")),
        new Payload(Json.compact(Json.requiredObject(item, "payload"))),
        Json.optionalText(item, "dedup_id").map(DedupId::new),
        idempotencyKey);
  }

  /** The command, once each value has checked itself; in this order, as the errors show. */
  private static IngestEvent.Command command(
      EventType type, Payload payload, Optional<DedupId> dedupId, Optional<String> idempotencyKey) {
    if (idempotencyKey.isPresent()) {
      DedupId fromHeader = new DedupId(idempotencyKey.get());
      if (dedupId.isPresent() && !dedupId.get().equals(fromHeader)) {
        throw new InvalidValueException(
            "dedup_id", "dedup_id and the " + IDEMPOTENCY_KEY + " header differ");
      }
      dedupId = Optional.of(fromHeader);
    }
    return new IngestEvent.Command(type, payload, dedupId);
  }

  private static Reply rateLimited(RateLimit.Denied denied) {
    return Reply.error(
        429,
        "rate_limited",
        "the organization's allowance of " + denied.limit() + " events per minute is used up");
  }

  /** A batch after judging each item: the valid commands, and why the others were rejected. */
  record ParsedBatch(
      int size,
      List<IngestEvent.Command> commands,
      List<Integer> commandIndexes,
      Map<Integer, String> rejections) {

    static ParsedBatch of(ArrayNode events) {
      return judged(events.size(), index -> command(events.get(index), Optional.empty()));
    }

    /** The items of a body that {@link EventJsonDecoder} read, judged as the tree's are. */
    static ParsedBatch decoded(List<EventJsonDecoder.Fields> events) {
      return judged(events.size(), index -> command(events.get(index), Optional.empty()));
    }

    private static ParsedBatch judged(int size, IntFunction<IngestEvent.Command> item) {
      List<IngestEvent.Command> commands = new ArrayList<>(size);
      List<Integer> indexes = new ArrayList<>(size);
      Map<Integer, String> rejections = new TreeMap<>();
      for (int index = 0; index < size; index++) {
        try {
          commands.add(item.apply(index));
          indexes.add(index);
        } catch (InvalidValueException e) {
          rejections.put(index, e.getMessage());
        }
      }
      return new ParsedBatch(size, commands, indexes, rejections);
    }

    Reply reply(IngestEvent.BatchOutcome outcome) {
      return switch (outcome) {
        case IngestEvent.BatchOutcome.Processed processed ->
            RateLimitHeaders.on(
                Reply.json(202, new BatchJson(results(processed.results()))),
                processed.rateLimit());
        case IngestEvent.BatchOutcome.RateLimited limited ->
            RateLimitHeaders.on(rateLimited(limited.rateLimit()), limited.rateLimit());
      };
    }

    /**
     * Every item in request order: the use case's results for the valid ones, the rest rejected.
     */
    List<BatchItemJson> results(List<IngestEvent.ItemResult> processed) {
      BatchItemJson[] items = new BatchItemJson[size];
      rejections.forEach(
          (index, error) -> items[index] = new BatchItemJson(index, null, "rejected", error));
      for (int i = 0; i < processed.size(); i++) {
        int index = commandIndexes.get(i);
        items[index] =
            switch (processed.get(i)) {
              case IngestEvent.ItemResult.Accepted accepted ->
                  new BatchItemJson(index, accepted.event().id().toString(), "accepted", null);
              case IngestEvent.ItemResult.Duplicate duplicate ->
                  new BatchItemJson(index, duplicate.original().toString(), "duplicate", null);
            };
      }
      return List.of(items);
    }
  }

  record BatchJson(List<BatchItemJson> results) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record BatchItemJson(int index, String id, String status, String error) {}
}
