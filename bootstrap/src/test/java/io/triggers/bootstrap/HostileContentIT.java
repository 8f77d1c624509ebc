package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a request contains, at its most hostile, sent to the packaged server in embedded mode: every
 * such request gets its exact 4xx with the API's error body (or is stored and read back intact),
 * never a 5xx; one organization's poison never fails another's ingest; and the server still serves
 * at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileContentIT {

  private static final String JSON = "application/json";

  @TempDir static Path workDir;

  private static RunningServer server;
  private static ApiClient api;
  private static String attacker;
  private static String victim;

  /** Every status the server answered in this class, so that no 5xx can slip by. */
  private static final List<Integer> STATUSES = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = RunningServer.start(workDir);
    api = new ApiClient(server.port());
    attacker = api.newApiKey("enterprise");
    victim = api.newApiKey("enterprise");
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    server.stop();
  }

  /** One hostile request and the answer it must get; {@code error} is null for a success. */
  record Hostile(
      String name,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      int status,
      String error) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Hostile> malformedJson() {
    return Stream.of(
        ingest("an opening brace only", "{", 400, "invalid_json"),
        ingest("truncated in the payload", "{\"type\":\"t\",\"payload\":{", 400, "invalid_json"),
        ingest(
            "truncated after the payload", "{\"type\":\"t\",\"payload\":{}", 400, "invalid_json"),
        ingest("truncated in a string", "{\"type\":\"t", 400, "invalid_json"),
        ingest("a closing brace too many", "{\"type\":\"t\",\"payload\":{}}}", 400, "invalid_json"),
        ingest(
            "a second value after the object",
            "{\"type\":\"t\",\"payload\":{}} {}",
            400,
            "invalid_json"),
        ingest("a missing comma", "{\"type\":\"t\" \"payload\":{}}", 400, "invalid_json"),
        ingest("a trailing comma", "{\"type\":\"t\",\"payload\":{},}", 400, "invalid_json"),
        ingest("single quotes", "{'type':'t','payload':{}}", 400, "invalid_json"),
        ingest("unquoted names", "{type:\"t\",payload:{}}", 400, "invalid_json"),
        ingest("a comment", "/* c */{\"type\":\"t\",\"payload\":{}}", 400, "invalid_json"),
        ingest("NaN", "{\"type\":\"t\",\"payload\":{\"n\":NaN}}", 400, "invalid_json"),
        ingest("Infinity", "{\"type\":\"t\",\"payload\":{\"n\":-Infinity}}", 400, "invalid_json"),
        ingest("a leading zero", "{\"type\":\"t\",\"payload\":{\"n\":01}}", 400, "invalid_json"),
        ingest(
            "a bare decimal point", "{\"type\":\"t\",\"payload\":{\"n\":1.}}", 400, "invalid_json"),
        ingest(
            "a hexadecimal number",
            "{\"type\":\"t\",\"payload\":{\"n\":0x1f}}",
            400,
            "invalid_json"),
        ingest(
            "an unterminated string",
            "{\"type\":\"t\",\"payload\":{\"a\":\"b}}",
            400,
            "invalid_json"),
        ingest(
            "a raw tab in a string",
            "{\"type\":\"t\",\"payload\":{\"a\":\"x\ty\"}}",
            400,
            "invalid_json"),
        ingest(
            "a raw NUL in a string",
            "{\"type\":\"t\",\"payload\":{\"a\":\"x\u0000y\"}}",
            400,
            "invalid_json"),
        ingest(
            "a bad escape", "{\"type\":\"t\",\"payload\":{\"a\":\"\\x41\"}}", 400, "invalid_json"),
        ingest(
            "a short unicode escape",
            "{\"type\":\"t\",\"payload\":{\"a\":\"\\u12\"}}",
            400,
            "invalid_json"),
        ingest("an empty body", "", 400, "invalid_json"),
        ingest("only whitespace", " \n\t ", 400, "invalid_json"),
        ingest("null", "null", 400, "invalid_request"),
        ingest("an array", "[{\"type\":\"t\",\"payload\":{}}]", 400, "invalid_request"),
        ingest("a string", "\"event\"", 400, "invalid_request"),
        ingest("a number", "42", 400, "invalid_request"),
        ingest("true", "true", 400, "invalid_request"));
  }

  static Stream<Hostile> wrongTypes() {
    return Stream.of(
        ingest("type a number", "{\"type\":1,\"payload\":{}}", 400, "invalid_request"),
        ingest("type a boolean", "{\"type\":true,\"payload\":{}}", 400, "invalid_request"),
        ingest("type an object", "{\"type\":{},\"payload\":{}}", 400, "invalid_request"),
        ingest("type an array", "{\"type\":[\"t\"],\"payload\":{}}", 400, "invalid_request"),
        ingest("type null", "{\"type\":null,\"payload\":{}}", 400, "invalid_request"),
        ingest("type missing", "{\"payload\":{}}", 400, "invalid_request"),
        ingest("type empty", "{\"type\":\"\",\"payload\":{}}", 400, "invalid_request"),
        ingest(
            "type of 256 characters", event("t".repeat(256), "{}", null), 400, "invalid_request"),
        ingest("type with an escaped newline", event("a\\nb", "{}", null), 400, "invalid_request"),
        ingest("type with an escaped NUL", event("a\\u0000b", "{}", null), 400, "invalid_request"),
        ingest("type with DEL", event("a\\u007fb", "{}", null), 400, "invalid_request"),
        ingest("payload a string", "{\"type\":\"t\",\"payload\":\"{}\"}", 400, "invalid_request"),
        ingest("payload an array", "{\"type\":\"t\",\"payload\":[]}", 400, "invalid_request"),
        ingest("payload a number", "{\"type\":\"t\",\"payload\":1}", 400, "invalid_request"),
        ingest("payload a boolean", "{\"type\":\"t\",\"payload\":false}", 400, "invalid_request"),
        ingest("payload null", "{\"type\":\"t\",\"payload\":null}", 400, "invalid_request"),
        ingest("payload missing", "{\"type\":\"t\"}", 400, "invalid_request"),
        ingest(
            "dedup_id a number",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":1}",
            400,
            "invalid_request"),
        ingest(
            "dedup_id an object",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":{}}",
            400,
            "invalid_request"),
        ingest(
            "dedup_id an array",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":[\"a\"]}",
            400,
            "invalid_request"),
        ingest(
            "dedup_id a boolean",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":true}",
            400,
            "invalid_request"),
        ingest("dedup_id empty", event("t", "{}", ""), 400, "invalid_request"),
        ingest(
            "dedup_id of 256 characters",
            event("t", "{}", "d".repeat(256)),
            400,
            "invalid_request"),
        ingest(
            "dedup_id with an escaped NUL", event("t", "{}", "a\\u0000"), 400, "invalid_request"),
        ingest(
            "dedup_id with an escaped carriage return",
            event("t", "{}", "a\\r"),
            400,
            "invalid_request"));
  }

  static Stream<Hostile> brokenUnicode() {
    return Stream.of(
        ingest(
            "type with an escaped high surrogate",
            event("x\\ud801", "{}", null),
            400,
            "invalid_json"),
        ingest(
            "type with an escaped low surrogate",
            event("\\udc00x", "{}", null),
            400,
            "invalid_json"),
        ingest(
            "dedup_id with an escaped high surrogate",
            event("t", "{}", "x\\ud801"),
            400,
            "invalid_json"),
        ingest(
            "dedup_id with an escaped low surrogate",
            event("t", "{}", "x\\udfff"),
            400,
            "invalid_json"),
        ingest(
            "dedup_id with a reversed pair",
            event("t", "{}", "\\ude00\\ud83d"),
            400,
            "invalid_json"),
        ingest(
            "a payload value with an escaped surrogate",
            event("t", "{\"a\":\"\\ud801\"}", null),
            400,
            "invalid_json"),
        ingest(
            "a payload key with an escaped surrogate",
            event("t", "{\"k\\ud801\":1}", null),
            400,
            "invalid_json"),
        ingest(
            "a nested payload value with an escaped surrogate",
            event("t", "{\"a\":[1,{\"b\":[\"ok\",\"\\ude00\"]}]}", null),
            400,
            "invalid_json"),
        ingest(
            "an unknown field with an escaped surrogate",
            "{\"type\":\"t\",\"payload\":{},\"note\":\"\\ud801\"}",
            400,
            "invalid_json"),
        ingestBytes(
            "type with a raw surrogate",
            bytes("{\"type\":\"x", SURROGATE, "\",\"payload\":{}}"),
            400,
            "invalid_json"),
        ingestBytes(
            "dedup_id with a raw surrogate",
            bytes("{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"x", SURROGATE, "\"}"),
            400,
            "invalid_json"),
        ingestBytes(
            "a payload value with a raw surrogate",
            bytes("{\"type\":\"t\",\"payload\":{\"a\":\"", SURROGATE, "\"}}"),
            400,
            "invalid_json"),
        ingestBytes(
            "a payload key with a raw surrogate",
            bytes("{\"type\":\"t\",\"payload\":{\"", SURROGATE, "\":1}}"),
            400,
            "invalid_json"),
        ingestBytes("a lone continuation byte", inPayload(0x80), 400, "invalid_json"),
        ingestBytes("a truncated two-byte sequence", inPayload(0xc3), 400, "invalid_json"),
        ingestBytes("a truncated three-byte sequence", inPayload(0xe2, 0x82), 400, "invalid_json"),
        ingestBytes("an overlong slash", inPayload(0xc0, 0xaf), 400, "invalid_json"),
        ingestBytes("an overlong NUL", inPayload(0xc0, 0x80), 400, "invalid_json"),
        ingestBytes(
            "a code point beyond U+10FFFF", inPayload(0xf4, 0x90, 0x80, 0x80), 400, "invalid_json"),
        ingestBytes(
            "a five-byte sequence", inPayload(0xf8, 0x88, 0x80, 0x80, 0x80), 400, "invalid_json"),
        ingestBytes("the byte FF", inPayload(0xff), 400, "invalid_json"),
        ingestBytes(
            "Latin-1 in the type",
            bytes("{\"type\":\"caf", new byte[] {(byte) 0xe9}, "\",\"payload\":{}}"),
            400,
            "invalid_json"),
        ingestBytes("a body in UTF-16 with its BOM", utf16WithBom(), 400, "invalid_json"),
        ingestBytes(
            "a UTF-8 BOM before the body",
            bytes(
                "",
                new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                "{\"type\":\"t\",\"payload\":{}}"),
            400,
            "invalid_json"));
  }

  static Stream<Hostile> numbersAndSizes() {
    return Stream.of(
        ingest(
            "dedup_id of 255 three-byte characters, the index's widest",
            event("t", "{}", "\u6f22".repeat(255)),
            202,
            null),
        ingest(
            "dedup_id of 127 emoji and one more character",
            event("t", "{}", "\ud83d\ude00".repeat(127) + "x"),
            202,
            null),
        ingest(
            "dedup_id of 128 emoji, 256 UTF-16 units",
            event("t", "{}", "\ud83d\ude00".repeat(128)),
            400,
            "invalid_request"),
        ingest(
            "type of 255 three-byte characters",
            event("\u6f22".repeat(255), "{}", null),
            202,
            null),
        ingest(
            "an exponent beyond any range",
            event("t", "{\"n\":1e99999999999999999999}", null),
            400,
            "invalid_json"),
        ingest(
            "a negative exponent beyond any range",
            event("t", "{\"n\":-2.5E-99999999999999999999}", null),
            400,
            "invalid_json"),
        ingest(
            "an exponent past 2^31",
            event("t", "{\"n\":[1,1e9999999999]}", null),
            400,
            "invalid_json"),
        ingest(
            "a number of 1,001 digits",
            event("t", "{\"n\":" + "9".repeat(1_001) + "}", null),
            400,
            "invalid_json"),
        ingest("nesting 65 levels deep", event("t", nested(64), null), 400, "invalid_json"),
        ingest("nesting 10,000 levels deep", event("t", nested(10_000), null), 400, "invalid_json"),
        ingest(
            "arrays nested 10,000 deep as the body",
            "[".repeat(10_000) + "]".repeat(10_000),
            400,
            "invalid_json"),
        ingest(
            "a body over the limit",
            event("t", "{\"a\":\"" + "x".repeat(300_000) + "\"}", null),
            413,
            "payload_too_large"),
        ingest("an escaped BOM in the type", event("\\ufeff", "{}", null), 202, null),
        ingest("nesting 64 levels deep", event("t", nested(63), null), 202, null),
        ingest("an exponent of 400", event("t", "{\"n\":1e400}", null), 202, null),
        ingest(
            "an integer of 1,000 digits",
            event("t", "{\"n\":" + "9".repeat(1_000) + "}", null),
            202,
            null));
  }

  static Stream<Hostile> contentTypes() {
    String body = event("t", "{}", null);
    return Stream.of(
        withContentType("no content type", null, body, 415, "unsupported_media_type"),
        withContentType("text/plain", "text/plain", body, 415, "unsupported_media_type"),
        withContentType("text/json", "text/json", body, 415, "unsupported_media_type"),
        withContentType(
            "a form", "application/x-www-form-urlencoded", body, 415, "unsupported_media_type"),
        withContentType(
            "multipart", "multipart/form-data; boundary=x", body, 415, "unsupported_media_type"),
        withContentType(
            "json in UTF-16",
            "application/json; charset=utf-16",
            body,
            415,
            "unsupported_media_type"),
        withContentType(
            "json in Latin-1",
            "application/json; charset=iso-8859-1",
            body,
            415,
            "unsupported_media_type"),
        withContentType(
            "a charset without a value",
            "application/json; charset",
            body,
            415,
            "unsupported_media_type"),
        withContentType(
            "a json suffix type",
            "application/merge-patch+json",
            body,
            415,
            "unsupported_media_type"),
        withContentType(
            "json in upper case, quoted UTF-8",
            "APPLICATION/JSON; charset=\"UTF-8\"",
            body,
            202,
            null));
  }

  static Stream<Hostile> hostileHeaders() {
    String tenThousand = "h".repeat(10_000);
    return Stream.of(
        new Hostile(
            "an API key of 10,000 characters",
            "GET",
            "/api/keys",
            Map.of("X-API-Key", tenThousand),
            null,
            401,
            "unauthorized"),
        new Hostile(
            "a bearer token of 10,000 characters",
            "GET",
            "/api/inbox",
            Map.of("Authorization", "Bearer " + tenThousand),
            null,
            401,
            "unauthorized"),
        new Hostile(
            "an API key with a surrogate's bytes read as Latin-1",
            "GET",
            "/api/keys",
            Map.of("X-API-Key", "trg_\u00ed\u00a0\u0081"),
            null,
            401,
            "unauthorized"),
        new Hostile(
            "an Idempotency-Key of 10,000 characters",
            "POST",
            "/api/events",
            withKey(Map.of("Content-Type", JSON, "Idempotency-Key", tenThousand)),
            event("t", "{}", null).getBytes(StandardCharsets.UTF_8),
            400,
            "invalid_request"),
        new Hostile(
            "an Idempotency-Key unlike the dedup_id",
            "POST",
            "/api/events",
            withKey(Map.of("Content-Type", JSON, "Idempotency-Key", "a")),
            event("t", "{}", "b").getBytes(StandardCharsets.UTF_8),
            400,
            "invalid_request"),
        new Hostile(
            "an Idempotency-Key that looks like SQL",
            "POST",
            "/api/events",
            withKey(
                Map.of(
                    "Content-Type", JSON, "Idempotency-Key", "' OR 1=1; --" + UUID.randomUUID())),
            event("t", "{}", null).getBytes(StandardCharsets.UTF_8),
            202,
            null),
        new Hostile(
            "an Idempotency-Key in Latin-1",
            "POST",
            "/api/events",
            withKey(
                Map.of("Content-Type", JSON, "Idempotency-Key", "caf\u00e9-" + UUID.randomUUID())),
            event("t", "{}", null).getBytes(StandardCharsets.UTF_8),
            202,
            null));
  }

  static Stream<Hostile> batches() {
    String good = event("t", "{}", null);
    return Stream.of(
        batch("no events", "{\"events\":[]}", 400, "invalid_request"),
        batch(
            "101 events",
            "{\"events\":[" + String.join(",", repeat(good, 101)) + "]}",
            400,
            "invalid_request"),
        batch("events an object", "{\"events\":{}}", 400, "invalid_request"),
        batch("events a string", "{\"events\":\"[]\"}", 400, "invalid_request"),
        batch("events missing", "{}", 400, "invalid_request"),
        batch("events null", "{\"events\":null}", 400, "invalid_request"),
        batch(
            "only bad events",
            "{\"events\":[1,\"x\",{\"type\":\"\"},{\"payload\":{}}]}",
            400,
            "invalid_request"),
        batch(
            "an event with an escaped surrogate among good ones",
            "{\"events\":[" + good + "," + event("t", "{\"a\":\"\\udbff\"}", null) + "]}",
            400,
            "invalid_json"),
        batch(
            "100 events", "{\"events\":[" + String.join(",", repeat(good, 100)) + "]}", 202, null));
  }

  static Stream<Hostile> inboxParameters() {
    return Stream.of(
        inbox("limit=0", "limit=0", 400, "invalid_request"),
        inbox("limit=-1", "limit=-1", 400, "invalid_request"),
        inbox("limit=1001", "limit=1001", 400, "invalid_request"),
        inbox("limit=abc", "limit=abc", 400, "invalid_request"),
        inbox("limit=1.5", "limit=1.5", 400, "invalid_request"),
        inbox("limit empty", "limit=", 400, "invalid_request"),
        inbox("limit beyond a long", "limit=99999999999999999999", 400, "invalid_request"),
        inbox("limit beyond an int", "limit=2147483648", 400, "invalid_request"),
        inbox("limit in hexadecimal", "limit=0x10", 400, "invalid_request"),
        inbox("status unknown", "status=lost", 400, "invalid_request"),
        inbox("status in upper case", "status=PENDING", 400, "invalid_request"),
        inbox("status empty", "status=", 400, "invalid_request"),
        inbox("order sideways", "order=sideways", 400, "invalid_request"),
        inbox("order in upper case", "order=ASC", 400, "invalid_request"),
        inbox("type with NUL", "type=%00", 400, "invalid_request"),
        inbox("type of 256 characters", "type=" + "t".repeat(256), 400, "invalid_request"),
        inbox("type with SQL", "type=" + encode("' OR '1'='1"), 200, null),
        inbox("repeated limits, the first one counting", "limit=5&limit=abc", 200, null),
        inbox("limit=1000 and order=asc", "limit=1000&order=asc", 200, null),
        inbox("an unknown parameter", "colour=blue", 200, null),
        inbox("type with percent-encoded surrogate bytes", "type=%ED%A0%81", 200, null),
        inbox("type with a percent-encoded invalid byte", "type=%FF", 200, null),
        inbox(
            "cursor at the first millisecond an event id can carry",
            "cursor=" + cursorText(1, 0, UUID.fromString("00000000-0000-7000-8000-000000000000")),
            200,
            null),
        inbox(
            "cursor at the last millisecond an event id can carry, oldest first",
            "order=asc&cursor="
                + cursorText(
                    2, (1L << 48) - 1, UUID.fromString("ffffffff-ffff-7fff-bfff-ffffffffffff")),
            200,
            null),
        inbox(
            "cursor with percent-encoded surrogate bytes",
            "cursor=%ED%A0%81",
            400,
            "invalid_request"));
  }

  static Stream<Hostile> forgedCursors() {
    UUID id = UUID.fromString("019ca8a1-5a7b-7000-8000-000000000001");
    long now = System.currentTimeMillis();
    return Stream.of(
        cursor("not base64", "!!!"),
        cursor("standard rather than URL base64", "+/+/" + cursorText(1, now, id).substring(4)),
        cursor("empty", ""),
        cursor("too short", cursorText(1, now, id).substring(2)),
        cursor("too long", cursorText(1, now, id) + "AAAA"),
        cursor("10,000 characters", "A".repeat(10_000)),
        cursor("at Long.MAX_VALUE", cursorText(1, Long.MAX_VALUE, id)),
        cursor("at Long.MIN_VALUE", cursorText(1, Long.MIN_VALUE, id)),
        cursor("at 9.3e15 ms", cursorText(1, 9_300_000_000_000_000L, id)),
        cursor("at -1e15 ms", cursorText(1, -1_000_000_000_000_000L, id)),
        cursor("at -1 ms", cursorText(1, -1, id)),
        cursor("an earlier version's at Long.MAX_VALUE", cursorText(null, Long.MAX_VALUE, id)),
        cursor("an earlier version's at -1e15 ms", cursorText(null, -1_000_000_000_000_000L, id)),
        cursor(
            "with a UUIDv4",
            cursorText(1, now, UUID.fromString("c0ffee00-0000-4000-8000-000000000000"))),
        cursor("with an unknown order", cursorText(7, now, id)),
        new Hostile(
            "of the other order",
            "GET",
            "/api/inbox?order=asc&cursor=" + cursorText(1, now, id),
            withKey(Map.of()),
            null,
            400,
            "invalid_request"));
  }

  static Stream<Hostile> forgedIds() {
    String v4 = "c0ffee00-0000-4000-8000-000000000000";
    String v7 = "019ca8a1-5a7b-7000-8000-000000000001";
    return Stream.of(
        byId("GET", "/api/events/not-a-uuid"),
        byId("GET", "/api/events/" + v4),
        byId("GET", "/api/events/" + v7),
        byId("GET", "/api/events/%00"),
        byId("GET", "/api/events/" + "9".repeat(10_000)),
        byId("GET", "/api/events/" + encode("' OR 1=1 --")),
        byId("DELETE", "/api/events/" + v4),
        byId("DELETE", "/api/events/not-a-uuid"),
        byId("POST", "/api/ack/" + v4),
        byId("POST", "/api/ack/" + encode("x\u00e9")),
        byId("POST", "/api/events/" + v4 + "/redeliver"),
        byId("POST", "/api/events/not-a-uuid/redeliver"),
        byId("GET", "/api/events/%ED%A0%81"));
  }

  static Stream<Hostile> organizationsAndWebhooks() {
    return Stream.of(
        generate(
            "an organization name with an escaped surrogate",
            "{\"organization_name\":" + "\"Acme\\ud801\"}",
            400,
            "invalid_json"),
        generateBytes(
            "an organization name with a raw surrogate",
            bytes("{\"organization_name\":\"Acme", SURROGATE, "\"}"),
            400,
            "invalid_json"),
        generate(
            "an organization name with NUL",
            "{\"organization_name\":\"a\\u0000\"}",
            400,
            "invalid_request"),
        generate(
            "an organization name of 256 characters",
            "{\"organization_name\":\"" + "n".repeat(256) + "\"}",
            400,
            "invalid_request"),
        generate(
            "an organization name a number", "{\"organization_name\":7}", 400, "invalid_request"),
        generate(
            "an unknown tier",
            "{\"organization_name\":\"a\",\"tier\":\"platinum\"}",
            400,
            "invalid_request"),
        webhook(
            "a webhook URL with an escaped surrogate",
            "{\"webhook_url\":" + "\"https://example.com/\\udc01\"}",
            400,
            "invalid_json"),
        webhook(
            "a webhook URL with NUL",
            "{\"webhook_url\":\"https://example.com/\\u0000\"}",
            400,
            "invalid_webhook_url"),
        webhook("a webhook URL a number", "{\"webhook_url\":1}", 400, "invalid_request"),
        new Hostile(
            "acknowledging ids that are not strings",
            "POST",
            "/api/inbox/ack",
            withKey(Map.of("Content-Type", JSON)),
            "{\"event_ids\":[1]}".getBytes(StandardCharsets.UTF_8),
            400,
            "invalid_request"),
        new Hostile(
            "acknowledging an id with an escaped surrogate",
            "POST",
            "/api/inbox/ack",
            withKey(Map.of("Content-Type", JSON)),
            "{\"event_ids\":[\"\\ud801\"]}".getBytes(StandardCharsets.UTF_8),
            400,
            "invalid_json"),
        new Hostile(
            "acknowledging 1,001 ids",
            "POST",
            "/api/inbox/ack",
            withKey(Map.of("Content-Type", JSON)),
            ("{\"event_ids\":[" + String.join(",", repeat("\"x\"", 1_001)) + "]}")
                .getBytes(StandardCharsets.UTF_8),
            400,
            "invalid_request"));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource({
    "malformedJson",
    "wrongTypes",
    "brokenUnicode",
    "numbersAndSizes",
    "contentTypes",
    "hostileHeaders",
    "batches",
    "inboxParameters",
    "forgedCursors",
    "forgedIds",
    "organizationsAndWebhooks"
  })
  void answersEachHostileRequestWithItsExactStatusAndError(Hostile hostile) {
    // when
    ApiClient.Response response = send(hostile);

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(hostile.status());
    if (hostile.error() != null) {
      JsonNode body = ApiClient.json(response.body());
      assertThat(body.path("error").asText()).as(response.body()).isEqualTo(hostile.error());
      assertThat(body.path("message").asText()).isNotBlank();
      assertThat(body.path("request_id").asText())
          .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }
  }

  @Order(2)
  @Test
  void refusesBatchItemsOneByOneAndTellsDuplicatesWithinTheBatch() {
    // given two good events sharing a dedup id, and two bad ones between them
    String dedup = "batch-" + UUID.randomUUID();
    String body =
        "{\"events\":["
            + event("t", "{}", dedup)
            + ",{\"type\":1,\"payload\":{}},"
            + event("t", "{\"b\":2}", dedup)
            + ",{\"type\":\"t\",\"payload\":[]}"
            + ","
            + event("t", "{}", null)
            + "]}";

    // when
    ApiClient.Response response = send(batch("mixed", body, 202, null));

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    JsonNode results = ApiClient.json(response.body()).path("results");
    assertThat(results).hasSize(5);
    assertThat(results.get(0).path("status").asText()).isEqualTo("accepted");
    assertThat(results.get(1).path("status").asText()).isEqualTo("rejected");
    assertThat(results.get(2).path("status").asText()).isEqualTo("duplicate");
    assertThat(results.get(2).path("id").asText()).isEqualTo(results.get(0).path("id").asText());
    assertThat(results.get(3).path("status").asText()).isEqualTo("rejected");
    assertThat(results.get(4).path("status").asText()).isEqualTo("accepted");
  }

  /** Payloads sent in compact form, as the server keeps them, so they must come back byte-exact. */
  static Stream<String> payloadsKeptExactly() {
    return Stream.of(
        "{\"sql\":\"'; DROP TABLE events; --\",\"or\":\"' OR '1'='1\"}",
        "{\"quote\":\"\\\"\\\\\",\"slash\":\"\\/\"}".replace("\\/", "/"),
        "{\"nul\":\"a\\u0000b\",\"bell\":\"\\u0007\"}",
        "{\"emoji\":\"\ud83d\ude00\",\"cjk\":\"\u6f22\u5b57\",\"accent\":\"\u00e9\"}",
        "{\"separators\":\"\u2028\u2029\",\"bom\":\"\ufeff\"}",
        "{\"price\":1.10,\"big\":12345678901234567890123,\"tiny\":1E-400,\"huge\":1E+400}",
        "{\"deep\":" + nested(10) + ",\"empty\":{},\"list\":[]}",
        "{\"\ud83d\ude00\":{\"k\":[true,false,null]}}");
  }

  @Order(3)
  @ParameterizedTest
  @MethodSource("payloadsKeptExactly")
  void storesHostileButValidContentVerbatimAndReadsItBackByteExact(String payload) {
    // given a type and dedup id that look like SQL
    String type = "'); DELETE FROM events; --";
    String dedup = "' OR '1'='1 " + UUID.randomUUID();

    // when
    ApiClient.Response accepted = send(ingest("verbatim", event(type, payload, dedup), 202, null));

    // then
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String id = ApiClient.field(accepted.body(), "id");
    String stored = api.event(attacker, id);
    assertThat(stored).contains("\"payload\":" + payload + ",\"dedup_id\":");
    JsonNode event = ApiClient.json(stored);
    assertThat(event.path("type").asText()).isEqualTo(type);
    assertThat(event.path("dedup_id").asText()).isEqualTo(dedup);
    ApiClient.Response listed =
        api.getWithKey("/api/inbox?limit=1000&type=" + encode(type), attacker);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body()).contains("\"payload\":" + payload + ",\"dedup_id\":");
  }

  @Order(4)
  @Test
  void answersEveryRouteOfAnotherOrganizationsEventWithNotFoundAndLeavesItAlone() {
    // given an event of the victim
    String id = api.ingest(victim, "order.created");

    // when the attacker tries every route on it
    List<ApiClient.Response> tries =
        List.of(
            api.getWithKey("/api/events/" + id, attacker),
            api.send("DELETE", "/api/events/" + id, Optional.of(attacker), null),
            api.postWithKey("/api/ack/" + id, attacker),
            api.postWithKey("/api/events/" + id + "/redeliver", attacker));
    ApiClient.Response batchAck =
        api.send(
            "POST", "/api/inbox/ack", Optional.of(attacker), "{\"event_ids\":[\"" + id + "\"]}");

    // then each is not found, and the event is untouched
    for (ApiClient.Response attempt : tries) {
      record(attempt);
      assertThat(attempt.status()).as(attempt.body()).isEqualTo(404);
      assertThat(ApiClient.json(attempt.body()).path("error").asText()).isEqualTo("not_found");
    }
    record(batchAck);
    assertThat(batchAck.status()).isEqualTo(200);
    assertThat(ApiClient.json(batchAck.body()).path("acknowledged").asInt()).isZero();
    assertThat(ApiClient.json(batchAck.body()).path("not_found").get(0).asText()).isEqualTo(id);
    JsonNode event = ApiClient.json(api.event(victim, id));
    assertThat(event.path("delivery").path("status").asText()).isEqualTo("pending");
  }

  @Order(5)
  @Test
  void answersAnotherOrganizationsCursorWithTheCallersOwnEventsOnly() {
    // given a cursor from the victim's inbox, and an event of the attacker's
    api.ingest(victim, "order.created");
    api.ingest(victim, "order.created");
    String own = api.ingest(attacker, "order.created");
    ApiClient.Response victimPage = api.getWithKey("/api/inbox?limit=1&order=asc", victim);
    String cursor = ApiClient.field(victimPage.body(), "next_cursor");

    // when the attacker pages with it
    ApiClient.Response page =
        api.getWithKey("/api/inbox?limit=1000&order=asc&status=all&cursor=" + cursor, attacker);

    // then the attacker sees only its own events, from that position on
    record(page);
    assertThat(page.status()).isEqualTo(200);
    Set<String> victims = new HashSet<>();
    ApiClient.json(api.getWithKey("/api/inbox?limit=1000&status=all", victim).body())
        .path("events")
        .forEach(e -> victims.add(id(e)));
    assertThat(victims).hasSizeGreaterThanOrEqualTo(2);
    List<String> seen = new ArrayList<>();
    ApiClient.json(page.body()).path("events").forEach(e -> seen.add(id(e)));
    assertThat(seen).contains(own).doesNotContainAnyElementsOf(victims);
  }

  @Order(6)
  @Test
  void echoesNoHostileRequestIdRaw() throws IOException {
    // when request ids with a bare CR, with a line break that starts a header of its own, and of
    // 10,000 characters are sent on the wire as they are
    String bareCarriageReturn = exchange("X-Request-Id: evil\rX-Injected: yes\r\n");
    String splitLine = exchange("X-Request-Id: safe-id\r\nX-Injected: yes\r\n");
    String huge = exchange("X-Request-Id: " + "r".repeat(10_000) + "\r\n");

    // then none is echoed raw: what comes back is a sane id on a line of its own, or a fresh one
    assertThat(statusOf(bareCarriageReturn)).isEqualTo(200);
    assertThat(headerSection(bareCarriageReturn))
        .doesNotContain("X-Injected")
        .containsPattern("\r\nX-Request-Id: [A-Za-z0-9._-]{1,128}\r\n");
    assertThat(headerSection(bareCarriageReturn).replace("\r\n", "")).doesNotContain("\r");
    assertThat(statusOf(splitLine)).isEqualTo(200);
    assertThat(headerSection(splitLine)).contains("X-Request-Id: safe-id\r\n");
    assertThat(headerSection(splitLine)).doesNotContain("X-Injected");
    assertThat(statusOf(huge)).isEqualTo(200);
    assertThat(headerSection(huge)).containsPattern("X-Request-Id: [0-9a-f]{32}\r\n");
    assertThat(headerSection(huge)).doesNotContain("rrrr");
  }

  @Order(7)
  @Test
  void anotherOrganizationsIngestsAllSucceedOnceWhileOneSendsUnpairedSurrogates() throws Exception {
    // given an organization of its own for the victim's ingests
    String bystander = api.newApiKey("enterprise");
    AtomicBoolean poisoning = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> acceptedIds = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> bystanderStatuses = new ConcurrentLinkedQueue<>();
    List<Integer> poisonStatuses = new CopyOnWriteArrayList<>();

    // when the attacker sends dedup ids that differ only in half a surrogate pair, while the
    // bystander ingests on eight connections, half of the events with dedup ids
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> senders = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        int connection = c;
        senders.add(
            clients.submit(
                () -> {
                  for (int i = 0; poisoning.get() || i < 10; i++) {
                    Optional<String> dedup =
                        i % 2 == 0 ? Optional.of("v-" + connection + "-" + i) : Optional.empty();
                    ApiClient.Response response = api.ingest(bystander, dedup);
                    bystanderStatuses.add(response.status());
                    if (response.status() == 202) {
                      acceptedIds.add(ApiClient.field(response.body(), "id"));
                    }
                  }
                }));
      }
      for (int i = 0; i < 150; i++) {
        for (String half : new String[] {"\\ud801", "\\ud802", "\\udc00"}) {
          Hostile poison = ingest("poison", event("t", "{}", "x" + i + half), 400, null);
          poisonStatuses.add(sendUnchecked(poison).status());
        }
      }
      poisoning.set(false);
      for (Future<?> sender : senders) {
        sender.get();
      }
    }

    // then every poisoned request was refused, every one of the bystander's was accepted, and
    // each accepted event is stored exactly once
    long bystanderFailures = bystanderStatuses.stream().filter(s -> s != 202).count();
    System.out.printf(
        "poison: %d requests, statuses %s; bystander: %d requests, %d not 202%n",
        poisonStatuses.size(),
        new HashSet<>(poisonStatuses),
        bystanderStatuses.size(),
        bystanderFailures);
    assertThat(poisonStatuses).containsOnly(400);
    assertThat(bystanderStatuses).containsOnly(202);
    Set<String> stored = new HashSet<>();
    String cursor = null;
    do {
      ApiClient.Response page =
          api.getWithKey(
              "/api/inbox?status=all&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor),
              bystander);
      assertThat(page.status()).isEqualTo(200);
      JsonNode body = ApiClient.json(page.body());
      body.path("events").forEach(e -> assertThat(stored.add(id(e))).isTrue());
      cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText();
    } while (cursor != null);
    assertThat(stored).containsExactlyInAnyOrderElementsOf(acceptedIds);
  }

  @Order(8)
  @Test
  void answeredNoHostileRequestWithAServerErrorAndStillServesAnotherOrganization() {
    // when
    String newcomer = api.newOrganization();
    String id = api.ingest(newcomer, "order.created");

    // then
    assertThat(STATUSES).isNotEmpty().allMatch(status -> status < 500);
    assertThat(api.event(newcomer, id)).contains(id);
    assertThat(api.get("/health").status()).isEqualTo(200);
    assertThat(server.process().isAlive()).isTrue();
  }

  // --- the requests ---

  private static final byte[] SURROGATE = {(byte) 0xed, (byte) 0xa0, (byte) 0x81};

  private static ApiClient.Response send(Hostile hostile) {
    return record(sendUnchecked(hostile));
  }

  private static ApiClient.Response sendUnchecked(Hostile hostile) {
    Map<String, String> headers = new LinkedHashMap<>();
    hostile
        .headers()
        .forEach((name, value) -> headers.put(name, value.equals(ATTACKER) ? attacker : value));
    ApiClient.Response response =
        api.send(hostile.method(), hostile.path(), headers, hostile.body());
    STATUSES.add(response.status());
    return response;
  }

  private static ApiClient.Response record(ApiClient.Response response) {
    assertThat(response.status()).as(response.body()).isLessThan(500);
    return response;
  }

  /** Stands for the attacker's key, which exists only once the server runs. */
  private static final String ATTACKER = "<attacker's key>";

  private static Map<String, String> withKey(Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("X-API-Key", ATTACKER);
    return all;
  }

  private static Hostile ingest(String name, String json, int status, String error) {
    return ingestBytes(name, json.getBytes(StandardCharsets.UTF_8), status, error);
  }

  private static Hostile ingestBytes(String name, byte[] body, int status, String error) {
    return new Hostile(
        name, "POST", "/api/events", withKey(Map.of("Content-Type", JSON)), body, status, error);
  }

  private static Hostile withContentType(
      String name, String contentType, String json, int status, String error) {
    Map<String, String> headers =
        contentType == null ? Map.of() : Map.of("Content-Type", contentType);
    return new Hostile(
        name,
        "POST",
        "/api/events",
        withKey(headers),
        json.getBytes(StandardCharsets.UTF_8),
        status,
        error);
  }

  private static Hostile batch(String name, String json, int status, String error) {
    return new Hostile(
        "batch: " + name,
        "POST",
        "/api/events/batch",
        withKey(Map.of("Content-Type", JSON)),
        json.getBytes(StandardCharsets.UTF_8),
        status,
        error);
  }

  private static Hostile inbox(String name, String query, int status, String error) {
    return new Hostile(
        "inbox: " + name, "GET", "/api/inbox?" + query, withKey(Map.of()), null, status, error);
  }

  private static Hostile cursor(String name, String cursor) {
    return new Hostile(
        "cursor: " + name,
        "GET",
        "/api/inbox?cursor=" + encode(cursor),
        withKey(Map.of()),
        null,
        400,
        "invalid_request");
  }

  private static Hostile byId(String method, String path) {
    String shown = path.length() > 80 ? path.substring(0, 80) + "..." : path;
    return new Hostile(
        method + " " + shown, method, path, withKey(Map.of()), null, 404, "not_found");
  }

  private static Hostile generate(String name, String json, int status, String error) {
    return generateBytes(name, json.getBytes(StandardCharsets.UTF_8), status, error);
  }

  private static Hostile generateBytes(String name, byte[] body, int status, String error) {
    return new Hostile(
        name, "POST", "/api/keys/generate", Map.of("Content-Type", JSON), body, status, error);
  }

  private static Hostile webhook(String name, String json, int status, String error) {
    return new Hostile(
        name,
        "POST",
        "/api/webhook/config",
        withKey(Map.of("Content-Type", JSON)),
        json.getBytes(StandardCharsets.UTF_8),
        status,
        error);
  }

  // --- the contents ---

  /** An event's JSON; {@code type} and {@code dedupId} go in as they are, escapes and all. */
  private static String event(String type, String payload, String dedupId) {
    return "{\"type\":\""
        + type
        + "\",\"payload\":"
        + payload
        + (dedupId == null ? "" : ",\"dedup_id\":\"" + dedupId + "\"")
        + "}";
  }

  /** An object nested {@code levels} deep, counting itself. */
  private static String nested(int levels) {
    return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
  }

  private static List<String> repeat(String text, int times) {
    List<String> copies = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      copies.add(text);
    }
    return copies;
  }

  private static byte[] bytes(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] inPayload(int... raw) {
    byte[] middle = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      middle[i] = (byte) raw[i];
    }
    return bytes("{\"type\":\"t\",\"payload\":{\"a\":\"", middle, "\"}}");
  }

  private static byte[] utf16WithBom() {
    return concat(
        new byte[] {(byte) 0xfe, (byte) 0xff},
        event("t", "{}", null).getBytes(StandardCharsets.UTF_16BE));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = new byte[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  /** A cursor's bytes made by hand: an order byte unless {@code null}, then time and id. */
  private static String cursorText(Integer order, long epochMilli, UUID id) {
    ByteBuffer buffer = ByteBuffer.allocate((order == null ? 0 : 1) + 24);
    if (order != null) {
      buffer.put(order.byteValue());
    }
    buffer.putLong(epochMilli);
    buffer.putLong(id.getMostSignificantBits());
    buffer.putLong(id.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String id(JsonNode event) {
    return event.path("id").asText();
  }

  // --- the wire ---

  /** Sends a GET /health with {@code extraHeaders} as raw bytes and returns the raw answer. */
  private static String exchange(String extraHeaders) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                  + extraHeaders
                  + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      STATUSES.add(statusOf(answer));
      return answer;
    }
  }

  private static int statusOf(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 ");
    return Integer.parseInt(answer.substring(9, 12));
  }

  private static String headerSection(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    return end < 0 ? answer : answer.substring(0, end + 2);
  }
}
