package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON client over java.net.http of the integration tests, for this adapter's and, through the
 * test-jar, for the whole server's in bootstrap.
 */
public final class ApiClient {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;

  public ApiClient(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  public HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  public Response get(String path, String... headers) {
    return send(request(path, headers).GET());
  }

  public Response delete(String path, String... headers) {
    return send(request(path, headers).DELETE());
  }

  /** A POST of JSON text as application/json. */
  public Response post(String path, String json, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  public Response postWithoutBody(String path, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A GET as the organization whose API key is given. */
  public Response getWithKey(String path, String apiKey) {
    return send("GET", path, Optional.of(apiKey), null);
  }

  /** A POST without a body as the organization whose API key is given. */
  public Response postWithKey(String path, String apiKey) {
    return send("POST", path, Optional.of(apiKey), null);
  }

  /**
   * Sends a request exactly as given: the body's bytes as they are (or none if {@code null}) and
   * every header in {@code headers} that the JDK's client lets a caller set.
   */
  public Response send(String method, String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        request(path)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request);
  }

  /** Sends JSON text (or no body if {@code null}), with the API key if given. */
  public Response send(String method, String path, Optional<String> apiKey, String json) {
    HttpRequest.Builder request =
        request(path)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    apiKey.ifPresent(key -> request.header("X-API-Key", key));
    return send(request);
  }

  public Response send(HttpRequest.Builder request) {
    try {
      return Response.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public CompletableFuture<Response> sendAsync(HttpRequest.Builder request) {
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(Response::of);
  }

  /** Creates an organization of the default (free) tier and returns its API key. */
  public String newOrganization() {
    return newApiKey("free");
  }

  /** Creates an organization of the tier and returns its API key. */
  public String newApiKey(String tier) {
    Response created =
        send(
            "POST",
            "/api/keys/generate",
            Optional.empty(),
            "{\"organization_name\":\"Acme\",\"tier\":\"" + tier + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return text(created.body(), "api_key");
  }

  /** Posts one event, with a dedup id if given, and returns the answer whatever it is. */
  public Response ingest(String apiKey, Optional<String> dedupId) {
    String dedup = dedupId.map(id -> ",\"dedup_id\":\"" + id + "\"").orElse("");
    return send(
        "POST",
        "/api/events",
        Optional.of(apiKey),
        "{\"type\":\"order.created\",\"payload\":{\"total\":\"19.90\"}" + dedup + "}");
  }

  /** Posts an event of the type and returns its id. */
  public String ingest(String apiKey, String type) {
    Response accepted =
        send(
            "POST",
            "/api/events",
            Optional.of(apiKey),
            "{\"type\":\"" + type + "\",\"payload\":{\"order_id\":1042,\"total\":\"19.90\"}}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    return text(accepted.body(), "id");
  }

  /** Points the organization's webhook at {@code url} and returns the signing secret. */
  public String configureWebhook(String apiKey, URI url) {
    Response configured =
        send(
            "POST",
            "/api/webhook/config",
            Optional.of(apiKey),
            "{\"webhook_url\":\"" + url + "\"}");
    assertThat(configured.status()).as(configured.body()).isEqualTo(200);
    return text(configured.body(), "signing_secret");
  }

  /** The event with its delivery, as {@code GET /api/events/{id}} shows it. */
  public String event(String apiKey, String id) {
    Response found = getWithKey("/api/events/" + id, apiKey);
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    return found.body();
  }

  /** The ids among {@code ids} whose events this server cannot read back. */
  public List<String> missingEvents(String apiKey, Collection<String> ids) {
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      if (getWithKey("/api/events/" + id, apiKey).status() != 200) {
        missing.add(id);
      }
    }
    return missing;
  }

  /** The first string field of that name in a JSON text, or null if it is null or absent. */
  public static String text(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return matcher.find() ? matcher.group(1) : null;
  }

  /** The first string field of that name in a JSON text, which must be there. */
  public static String field(String json, String name) {
    String value = text(json, name);
    assertThat(value).as("%s in %s", name, json).isNotNull();
    return value;
  }

  /** The first number field of that name in a JSON text. */
  public static int number(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertThat(matcher.find()).as("%s in %s", name, json).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /** A JSON text as a tree, for answers with nested parts. */
  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** A response with its body as text. */
  public record Response(int status, HttpHeaders headers, String body) {

    static Response of(HttpResponse<String> response) {
      return new Response(response.statusCode(), response.headers(), response.body());
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String error() {
      return json().path("error").asText();
    }
  }
}
