package io.triggers.adapters.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What an endpoint answers: a status, extra headers and a body, written out by ReplyWriter. */
record Reply(int status, Map<String, String> headers, Body body) {

  static final String JSON = "application/json";

  Reply {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(body, "body");
  }

  static Reply json(int status, Object value) {
    return new Reply(status, Map.of(), new JsonBody(value));
  }

  static Reply raw(int status, String contentType, byte[] bytes) {
    return new Reply(status, Map.of(), new RawBody(contentType, bytes));
  }

  static Reply error(int status, String code, String message) {
    return new Reply(status, Map.of(), new ErrorBody(code, message, Map.of()));
  }

  static Reply noContent() {
    return new Reply(204, Map.of(), new NoBody());
  }

  Reply withHeader(String name, String value) {
    return withHeaders(Map.of(name, value));
  }

  /** This reply with {@code more} headers, which replace any of the same name; one copy for all. */
  Reply withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new Reply(status, all, body);
  }

  /** Adds a field to an error body, next to error, message and request_id. */
  Reply withDetail(String name, Object value) {
    if (!(body instanceof ErrorBody error)) {
      throw new IllegalStateException("only error replies carry details");
    }
    Map<String, Object> details = new LinkedHashMap<>(error.details());
    details.put(name, value);
    return new Reply(status, headers, new ErrorBody(error.code(), error.message(), details));
  }

  /** The kinds of body a reply can have. */
  sealed interface Body {}

  /** A value serialised as JSON. */
  record JsonBody(Object value) implements Body {
    JsonBody {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Bytes sent as they are, with their content type. */
  record RawBody(String contentType, byte[] bytes) implements Body {
    RawBody {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** The error format every failure shares; the writer adds the request id. */
  record ErrorBody(String code, String message, Map<String, Object> details) implements Body {
    ErrorBody {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  /** No body at all, as for 204. */
  record NoBody() implements Body {}
}
