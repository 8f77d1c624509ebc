package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.http.RawConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged server, with a heap of 256 MiB, attacked over raw sockets with requests no
 * well-behaved client sends: request smuggling shapes, bad chunks, stalled bodies, malformed
 * request lines and headers, and crowds of idle, slow and stalled connections. Each input gets the
 * exact status pinned here: a 4xx (in the API's error format wherever a handler of ours gets to
 * answer, or Undertow's bare 400 where its parser refuses the request first), a close without an
 * answer, or, for the leniencies HTTP allows, an ordinary answer; never a 5xx. The server keeps
 * serving throughout. The server's heap is printed along the way, not asserted.
 */
class HostileProtocolIT {

  private static final String READ_TIMEOUT = "2s";

  @TempDir static Path workDir;

  private static RunningServer server;
  private static ApiClient api;
  private static String apiKey;

  @BeforeAll
  static void startServer() throws Exception {
    server =
        RunningServer.start(
            workDir, List.of("-Xmx256m"), List.of("--body-read-timeout", READ_TIMEOUT), Map.of());
    api = new ApiClient(server.port());
    apiKey = api.newApiKey("enterprise");
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    server.stop();
  }

  private static final int CLOSED = 0;

  static Stream<Input> inputs() {
    return Stream.of(
        input(
            "smuggling: Content-Length and Transfer-Encoding",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "smuggling: Transfer-Encoding twice",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "smuggling: Transfer-Encoding then identity",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "smuggling: space before the colon",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "smuggling: vertical tab after chunked",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\u000b\r\n\r\n0\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "smuggling: xchunked",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "smuggling: chunked, identity",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "smuggling: gzip, chunked",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "smuggling: identity alone",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: identity\r\n\r\n{}",
            400,
            Answer.OURS,
            true),
        input(
            "smuggling: chunked with a quoted value",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "smuggling: identity with Content-Length",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "smuggling: Content-Length twice, equal",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "smuggling: Content-Length twice, different",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "smuggling: Content-Length as a list",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 2, 2\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "length: negative",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "length: not a number",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "length: with a plus sign",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: +2\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "length: in hex",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 0x2\r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "length: twenty digits",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "length: a petabyte",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 1000000000000000\r\n\r\n{",
            413,
            Answer.OURS,
            true),
        input(
            "length: a petabyte, without a key",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000000000000\r\n\r\n",
            401,
            Answer.OURS,
            true),
        input(
            "length: empty",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: \r\n\r\n{}",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "chunks: size not hex",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\nXX0\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "chunks: size beyond any body",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
            CLOSED,
            Answer.UNDERTOWS,
            true),
        input(
            "chunks: negative size",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n",
            CLOSED,
            Answer.UNDERTOWS,
            true),
        input(
            "chunks: an extension",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n19;name=value\r\n{\"type\":\"t\",\"payload\":{}}\r\n0\r\n\r\n",
            202,
            Answer.SERVED,
            false),
        input(
            "chunks: a trailer",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n19\r\n{\"type\":\"t\",\"payload\":{}}\r\n0\r\nX-Trailer: yes\r\n\r\n",
            202,
            Answer.SERVED,
            false),
        input(
            "chunks: well formed, in capitals",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: CHUNKED\r\n\r\n19\r\n{\"type\":\"t\",\"payload\":{}}\r\n0\r\n\r\n",
            202,
            Answer.SERVED,
            false),
        input(
            "chunks: data longer than its size",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"type\":\"t\",\"payload\":{}}\r\n0\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "chunks: stalled after one chunk",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"type\":\r\n",
            408,
            Answer.OURS,
            true),
        input(
            "chunks: stalled before the last CRLF",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n19\r\n{\"type\":\"t\",\"payload\":{}}\r\n0\r\n",
            408,
            Answer.OURS,
            true),
        input(
            "chunks: stalled, without a key",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"type\":\r\n",
            401,
            Answer.OURS,
            true),
        input(
            "stall: 8 of 100 bytes",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":",
            408,
            Answer.OURS,
            true),
        input(
            "stall: 8 of 100 bytes, without a key",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":",
            401,
            Answer.OURS,
            true),
        input(
            "stall: 8 of 100 bytes, with a wrong key",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: trg_wrong\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":",
            401,
            Answer.OURS,
            true),
        input(
            "stall: 1 of 262144 bytes, without a key",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 262144\r\n\r\n{",
            401,
            Answer.OURS,
            true),
        input(
            "stall: a batch, 8 of 100 bytes",
            "POST /api/events/batch HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"events",
            408,
            Answer.OURS,
            true),
        input(
            "stall: key generation, 8 of 100 bytes",
            "POST /api/keys/generate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"organi",
            408,
            Answer.OURS,
            true),
        input(
            "stall: a body nobody reads",
            "GET /api/inbox HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Length: 100\r\n\r\n{\"type\":",
            200,
            Answer.SERVED,
            true),
        input("line: method alone", "GET\r\n\r\n", 400, Answer.UNDERTOWS, true),
        input(
            "line: no version",
            "GET /health\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "line: two spaces",
            "GET  /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "line: a fourth part",
            "GET /health HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "line: garbage",
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "line: lowercase method",
            "get /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            405,
            Answer.OURS,
            false),
        input(
            "line: unknown method",
            "BREW /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            405,
            Answer.OURS,
            false),
        input(
            "line: PUT",
            "PUT /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Length: 0\r\n\r\n",
            405,
            Answer.OURS,
            false),
        input(
            "line: PATCH",
            "PATCH /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Length: 0\r\n\r\n",
            405,
            Answer.OURS,
            false),
        input(
            "line: TRACE",
            "TRACE /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            405,
            Answer.OURS,
            false),
        input(
            "line: CONNECT",
            "CONNECT localhost:80 HTTP/1.1\r\nHost: localhost:80\r\n\r\n",
            404,
            Answer.OURS,
            true),
        input(
            "line: OPTIONS asterisk",
            "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n",
            404,
            Answer.OURS,
            false),
        input(
            "line: GET asterisk",
            "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n",
            404,
            Answer.OURS,
            false),
        input(
            "line: absolute form",
            "GET http://localhost/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "line: absolute form, another host",
            "GET http://elsewhere.example/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "line: path without a slash",
            "GET health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            404,
            Answer.OURS,
            false),
        input(
            "line: bad percent encoding",
            "GET /api/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "line: encoded NUL",
            "GET /api/events/%00 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\n\r\n",
            404,
            Answer.OURS,
            false),
        input(
            "line: dot segments",
            "GET /api/../health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            404,
            Answer.OURS,
            false),
        input(
            "line: 40,000-character target",
            "GET /health?q={40000} HTTP/1.1\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input("version: HTTP/1.0", "GET /health HTTP/1.0\r\n\r\n", 200, Answer.SERVED, true),
        input(
            "version: HTTP/1.2",
            "GET /health HTTP/1.2\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "version: HTTP/2.0",
            "GET /health HTTP/2.0\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "version: HTTP/3",
            "GET /health HTTP/3\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "version: lowercase",
            "GET /health http/1.1\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "version: HTTP/01.1",
            "GET /health HTTP/01.1\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "version: not HTTP",
            "GET /health FOO/1.1\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "version: HTTP/2 preface",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "lines: bare LF",
            "GET /health HTTP/1.1\nHost: localhost\n\n",
            200,
            Answer.SERVED,
            false),
        input(
            "lines: bare CR",
            "GET /health HTTP/1.1\rHost: localhost\r\r",
            CLOSED,
            Answer.UNDERTOWS,
            true),
        input(
            "lines: leading empty line",
            "\r\nGET /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "header: folded",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Folded: one\r\n two\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "header: NUL in a value",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Nul: a\u0000b\r\n\r\n",
            400,
            Answer.OURS,
            true),
        input(
            "header: CR in a value",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Cr: a\rb\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "header: space in a name",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX Bad: 1\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "header: no colon",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Bad\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "header: empty name",
            "GET /health HTTP/1.1\r\nHost: localhost\r\n: empty\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "header: 8-bit value",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Latin: caf\u00e9\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "header: 10,000-character value",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Long: {10000}\r\n\r\n",
            200,
            Answer.SERVED,
            false),
        input(
            "header: 10,000-character key",
            "GET /api/keys HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {10000}\r\n\r\n",
            401,
            Answer.OURS,
            false),
        input(
            "header: 100,000-character value",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Long: {100000}\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "header: too many",
            "GET /health HTTP/1.1\r\nHost: localhost\r\n{headers500}\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input("header: no Host", "GET /health HTTP/1.1\r\n\r\n", 400, Answer.UNDERTOWS, true),
        input(
            "header: two Hosts",
            "GET /health HTTP/1.1\r\nHost: localhost\r\nHost: elsewhere\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "header: bad Host port",
            "GET /health HTTP/1.1\r\nHost: localhost:99999\r\n\r\n",
            400,
            Answer.UNDERTOWS,
            true),
        input(
            "header: Expect something else",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nExpect: 200-ok\r\nContent-Length: 25\r\n\r\n{\"type\":\"t\",\"payload\":{}}",
            202,
            Answer.SERVED,
            false),
        input(
            "body: wrong content type",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: text/plain\r\nContent-Length: 25\r\n\r\n{\"type\":\"t\",\"payload\":{}}",
            415,
            Answer.OURS,
            true),
        input(
            "body: no content type, no key",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 25\r\n\r\n{\"type\":\"t\",\"payload\":{}}",
            401,
            Answer.OURS,
            true),
        input(
            "body: over the limit",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 262145\r\n\r\n{",
            413,
            Answer.OURS,
            true),
        input(
            "body: well formed",
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 25\r\n\r\n{\"type\":\"t\",\"payload\":{}}",
            202,
            Answer.SERVED,
            false));
  }

  private static Input input(
      String name, String template, int status, Answer answer, boolean closes) {
    return new Input(name, template, status, answer, closes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void answersEveryMalformedRequestWithAClientErrorOrACloseAndKeepsServing(Input input) {
    try (RawConnection connection = RawConnection.open(server.port())) {
      // when
      connection.send(input.request(apiKey));

      // then
      if (input.status() == CLOSED) {
        assertThat(connection.closedByServer()).as("closed without an answer").isTrue();
      } else {
        RawConnection.Response response = connection.read();
        assertThat(response.status()).as(response.toString()).isEqualTo(input.status());
        switch (input.answer()) {
          case OURS -> assertOurError(response);
          case UNDERTOWS -> assertThat(response.header("Connection")).isEqualTo("close");
          case SERVED -> assertThat(response.body()).startsWith("{");
        }
        if (input.closes()) {
          assertThat(connection.closedByServer()).as("connection closed").isTrue();
        } else {
          RawConnection.Response next =
              connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
          assertThat(next.status()).as("the next request on the connection").isEqualTo(200);
        }
      }
    }
    assertThat(api.get("/health").status()).isEqualTo(200);
  }

  @Test
  void asksForABodyWith100ContinueOnlyOnceTheKeyIsChecked() {
    String event = "{\"type\":\"t\",\"payload\":{}}";
    String head =
        "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Expect: 100-continue\r\nContent-Length: "
            + event.length()
            + "\r\n";
    try (RawConnection stranger = RawConnection.open(server.port());
        RawConnection known = RawConnection.open(server.port())) {
      // when
      RawConnection.Response refused = stranger.send(head + "\r\n").read();
      RawConnection.Response goOn = known.send(head + "X-API-Key: " + apiKey + "\r\n\r\n").read();
      RawConnection.Response accepted = known.send(event).read();

      // then
      assertThat(refused.status()).isEqualTo(401);
      assertOurError(refused);
      assertThat(stranger.closedByServer()).isTrue();
      assertThat(goOn.status()).isEqualTo(100);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }
  }

  @Test
  void answersPipelinedRequestsInOrderOnOneConnection() {
    String event = "{\"type\":\"t\",\"payload\":{}}";
    String ingest =
        "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
            + apiKey
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + event.length()
            + "\r\n\r\n"
            + event;
    String health = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    String unknown = "GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n";
    try (RawConnection connection = RawConnection.open(server.port())) {
      // when: four requests in one write
      connection.send(ingest + health + unknown + ingest);

      // then
      assertThat(connection.read().status()).isEqualTo(202);
      assertThat(connection.read().status()).isEqualTo(200);
      RawConnection.Response notFound = connection.read();
      assertThat(notFound.status()).isEqualTo(404);
      assertOurError(notFound);
      assertThat(connection.read().status()).isEqualTo(202);
    }
  }

  @Test
  void keepsServingWhileTwoThousandConnectionsSitIdle() {
    List<RawConnection> idle = new ArrayList<>();
    try {
      // given
      for (int i = 0; i < 2_000; i++) {
        idle.add(RawConnection.open(server.port()));
      }

      // when
      ApiClient.Response during = api.ingest(apiKey, Optional.empty());

      // then
      assertThat(during.status()).as(during.body()).isEqualTo(202);
      reportHeap("2,000 idle connections");
    } finally {
      idle.forEach(RawConnection::close);
    }
    assertServes();
  }

  @Test
  void cutsOffASlowlorisOnHeadersAndKeepsServing() throws InterruptedException {
    List<RawConnection> slow = new ArrayList<>();
    try {
      // given: 300 connections that send a header line every second and never finish
      for (int i = 0; i < 300; i++) {
        slow.add(RawConnection.open(server.port()).send("GET /health HTTP/1.1\r\n"));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(14).toNanos();
      int line = 0;
      while (System.nanoTime() < deadline) {
        for (RawConnection connection : slow) {
          connection.sendQuietly("X-Slow-" + line + ": a\r\n");
        }
        line++;
        // when
        ApiClient.Response during = api.ingest(apiKey, Optional.empty());
        assertThat(during.status()).as(during.body()).isEqualTo(202);
        Thread.sleep(1_000);
      }

      // then: the header read timeout (10 s) closed them all
      for (RawConnection connection : slow) {
        assertThat(connection.closedByServer()).isTrue();
      }
    } finally {
      slow.forEach(RawConnection::close);
    }
    assertServes();
  }

  @Test
  void survivesAThousandStalledUploadsWithAndWithoutAKey() {
    String event = "{\"type\":\"t\",\"payload\":{\"a\":\"";
    List<RawConnection> strangers = new ArrayList<>();
    List<RawConnection> known = new ArrayList<>();
    try {
      // given: each announces the largest body and sends one byte of it (or a few)
      reportHeap("before the stalled uploads");
      for (int i = 0; i < 1_000; i++) {
        strangers.add(
            RawConnection.open(server.port())
                .send(
                    "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Type:"
                        + " application/json\r\nContent-Length: 262144\r\n\r\n{"));
        known.add(
            RawConnection.open(server.port())
                .send(
                    "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
                        + apiKey
                        + "\r\nContent-Type: application/json\r\nContent-Length: 262144\r\n\r\n"
                        + event));
      }
      reportHeap("during 2,000 stalled uploads (1,000 with a key)");

      // when
      ApiClient.Response during = api.ingest(apiKey, Optional.empty());

      // then: strangers are refused on their headers, known callers cut off after the timeout
      assertThat(during.status()).as(during.body()).isEqualTo(202);
      for (RawConnection stranger : strangers) {
        assertThat(stranger.read().status()).isEqualTo(401);
      }
      for (RawConnection caller : known) {
        RawConnection.Response response = caller.read();
        assertThat(response.status()).as(response.toString()).isIn(408, 503);
      }
      reportHeap("after the stalled uploads were cut off");
    } finally {
      strangers.forEach(RawConnection::close);
      known.forEach(RawConnection::close);
    }
    Eventually.await(Duration.ofSeconds(30), () -> bodyMemory() == 0);
    assertServes();
  }

  private static void assertServes() {
    assertThat(api.get("/health").status()).isEqualTo(200);
    ApiClient.Response ingest = api.ingest(apiKey, Optional.empty());
    assertThat(ingest.status()).as(ingest.body()).isEqualTo(202);
  }

  private static void assertOurError(RawConnection.Response response) {
    assertThat(response.header("X-Request-Id")).isNotBlank();
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    assertThat(ApiClient.field(response.body(), "error")).isNotBlank();
    assertThat(ApiClient.field(response.body(), "message")).isNotBlank();
    assertThat(ApiClient.field(response.body(), "request_id"))
        .isEqualTo(response.header("X-Request-Id"));
  }

  /** The memory the server's request bodies hold, as its metrics report it. */
  private static double bodyMemory() {
    String metrics = api.get("/metrics").body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("triggers_http_body_memory_bytes ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no triggers_http_body_memory_bytes in the metrics");
  }

  /** Prints the server's heap as the JVM reports it, for the record; nothing is asserted on it. */
  private static void reportHeap(String when) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(server.process().pid()),
                  "GC.heap_info")
              .redirectErrorStream(true)
              .start();
      String info = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor();
      String used =
          info.lines().filter(line -> line.contains("used")).findFirst().orElse(info).trim();
      System.out.println("heap " + when + ": " + used);
    } catch (IOException e) {
      System.out.println("heap " + when + ": not available (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How the server answers an input. */
  enum Answer {
    /** With the API's error body and request id. */
    OURS,
    /** With Undertow's own bare 400, refused while parsing, before any handler of ours runs. */
    UNDERTOWS,
    /** Served like any request: the input is within what the server accepts. */
    SERVED
  }

  /** One malformed request, its expected status ({@link #CLOSED}: none) and how it is answered. */
  record Input(String name, String template, int status, Answer answer, boolean closes) {

    String request(String apiKey) {
      StringBuilder manyHeaders = new StringBuilder();
      for (int i = 0; i < 500; i++) {
        manyHeaders.append("X-H-").append(i).append(": v\r\n");
      }
      return template
          .replace("{key}", apiKey)
          .replace("{100000}", "a".repeat(100_000))
          .replace("{40000}", "a".repeat(40_000))
          .replace("{10000}", "a".repeat(10_000))
          .replace("{headers500}", manyHeaders.toString());
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
