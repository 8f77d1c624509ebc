package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

  @Test
  void documentsExactlyTheRoutesTheServerServes() throws Exception {
    // given
    HttpServer server =
        new HttpServer(
            new HttpSettings(
                "127.0.0.1",
                0,
                1024,
                Optional.empty(),
                HttpSettings.DEFAULT_MAX_BODY_MEMORY_BYTES,
                HttpSettings.DEFAULT_BODY_READ_TIMEOUT),
            TestServer.inMemoryUseCases(),
            new SimpleMeterRegistry(),
            () -> "");
    Set<String> served = new HashSet<>();
    server.routes().forEach(route -> served.add(route.method() + " " + route.template()));
    server.close();

    // when
    JsonNode document = new ObjectMapper().readTree(OpenApiRoutes.load());
    Set<String> documented = new HashSet<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

    // then
    assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
    assertThat(served).hasSize(30);
  }

  @Test
  void everyReferenceInTheDocumentResolves() throws Exception {
    // given
    JsonNode document = new ObjectMapper().readTree(OpenApiRoutes.load());
    Set<String> references = new HashSet<>();
    collectReferences(document, references);

    // then
    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).startsWith("#/");
      assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
    }
  }

  private static void collectReferences(JsonNode node, Set<String> references) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              field -> {
                if (field.getKey().equals("$ref")) {
                  references.add(field.getValue().asText());
                } else {
                  collectReferences(field.getValue(), references);
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> collectReferences(child, references));
    }
  }
}
