package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static final Route.Endpoint NOTHING = call -> Reply.noContent();
  private static final Route BATCH =
      Route.of("POST", "/api/events/batch", Route.Access.ORGANIZATION, NOTHING);
  private static final Route GET_EVENT =
      Route.of("GET", "/api/events/{id}", Route.Access.ORGANIZATION, NOTHING);
  private static final Route DELETE_EVENT =
      Route.of("DELETE", "/api/events/{id}", Route.Access.ORGANIZATION, NOTHING);
  private static final Route POST_EVENT =
      Route.of("POST", "/api/events", Route.Access.ORGANIZATION, NOTHING);

  private final RouteTable routes =
      new RouteTable(List.of(GET_EVENT, DELETE_EVENT, BATCH, POST_EVENT));

  @Test
  void refusesAnInlineRouteThatWouldCheckAKeyOrReadABody() {
    assertThatThrownBy(
            () -> Route.of("GET", "/api/inbox", Route.Access.ORGANIZATION, NOTHING).onIoThread())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Route.of("POST", "/api/echo", Route.Access.ANYONE, NOTHING)
                    .withJsonBody()
                    .onIoThread())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsALiteralRouteBeforeATemplatedOne() {
    // when
    RouteTable.Lookup lookup = routes.find("POST", "/api/events/batch");

    // then
    assertThat(lookup).isEqualTo(new RouteTable.Lookup.Found(BATCH, Map.of()));
  }

  @Test
  void capturesPathParameters() {
    // when
    RouteTable.Lookup lookup = routes.find("GET", "/api/events/abc");

    // then
    assertThat(lookup).isEqualTo(new RouteTable.Lookup.Found(GET_EVENT, Map.of("id", "abc")));
  }

  @Test
  void reportsTheMethodsAPathHasWhenTheMethodIsWrong() {
    // when
    RouteTable.Lookup lookup = routes.find("PUT", "/api/events/abc");

    // then
    assertThat(lookup).isEqualTo(new RouteTable.Lookup.WrongMethod(List.of("DELETE", "GET")));
  }

  @Test
  void findsNothingForUnknownEmptyOrExtraSegments() {
    assertThat(routes.find("GET", "/api/events/")).isEqualTo(new RouteTable.Lookup.NoRoute());
    assertThat(routes.find("GET", "/api/events/a/b")).isEqualTo(new RouteTable.Lookup.NoRoute());
    assertThat(routes.find("GET", "/api/other")).isEqualTo(new RouteTable.Lookup.NoRoute());
    assertThat(routes.find("GET", "")).isEqualTo(new RouteTable.Lookup.NoRoute());
  }

  @Test
  void refusesARouteDefinedTwice() {
    assertThatThrownBy(() -> new RouteTable(List.of(BATCH, BATCH)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
