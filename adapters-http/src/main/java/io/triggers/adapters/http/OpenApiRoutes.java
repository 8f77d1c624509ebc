package io.triggers.adapters.http;

import io.triggers.core.model.TriggersException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The route of the hand-written OpenAPI 3 document of the API, loaded once from the classpath. */
final class OpenApiRoutes {

  static final String RESOURCE = "openapi.json";

  private final byte[] document;

  OpenApiRoutes() {
    this.document = load();
  }

  List<Route> routes() {
    return List.of(
        Route.of(
                "GET",
                "/openapi.json",
                Route.Access.ANYONE,
                call -> Reply.raw(200, Reply.JSON, document))
            .onIoThread());
  }

  static byte[] load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new TriggersException("the OpenAPI document " + RESOURCE + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new TriggersException("could not read the OpenAPI document", e);
    }
  }
}
