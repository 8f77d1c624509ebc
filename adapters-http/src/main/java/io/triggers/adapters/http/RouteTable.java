package io.triggers.adapters.http;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The route table: finds the route for a method and path, or says why there is none. */
final class RouteTable {

  private final List<Route> routes;
  private final List<List<String>> segments;

  /**
   * The routes whose templates have no parameter, by method and path. Such a route has the most
   * literal segments a path can match, so when it matches it is the answer without a scan.
   */
  private final Map<String, Route> literals = new HashMap<>();

  RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
    this.segments = this.routes.stream().map(Route::segments).toList();
    Set<String> seen = new HashSet<>();
    for (Route route : this.routes) {
      if (!seen.add(route.method() + " " + route.template())) {
        throw new IllegalArgumentException(
            "route " + route.method() + " " + route.template() + " is defined twice");
      }
      if (!route.template().contains("{")) {
        literals.put(route.method() + " " + route.template(), route);
      }
    }
  }

  List<Route> all() {
    return routes;
  }

  /**
   * The most specific route for the method (most literal segments win, so {@code /api/events/batch}
   * beats {@code /api/events/{id}}); if only other methods match the path, they are reported for
   * the Allow header.
   */
  Lookup find(String method, String path) {
    if (!path.startsWith("/")) {
      return new Lookup.NoRoute();
    }
    Route literal = literals.get(method + " " + path);
    if (literal != null) {
      return new Lookup.Found(literal, Map.of());
    }
    String[] parts = path.substring(1).split("/", -1);
    Lookup.Found best = null;
    int bestLiterals = -1;
    Set<String> allowed = new TreeSet<>();
    for (int i = 0; i < routes.size(); i++) {
      Optional<Map<String, String>> parameters = match(segments.get(i), parts);
      if (parameters.isEmpty()) {
        continue;
      }
      Route route = routes.get(i);
      allowed.add(route.method());
      int literals = segments.get(i).size() - parameters.get().size();
      if (route.method().equals(method) && literals > bestLiterals) {
        best = new Lookup.Found(route, parameters.get());
        bestLiterals = literals;
      }
    }
    if (best != null) {
      return best;
    }
    return allowed.isEmpty() ? new Lookup.NoRoute() : new Lookup.WrongMethod(List.copyOf(allowed));
  }

  private static Optional<Map<String, String>> match(List<String> template, String[] parts) {
    if (template.size() != parts.length) {
      return Optional.empty();
    }
    Map<String, String> parameters = new HashMap<>(2);
    for (int i = 0; i < parts.length; i++) {
      String segment = template.get(i);
      if (segment.startsWith("{") && segment.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
        parameters.put(segment.substring(1, segment.length() - 1), parts[i]);
      } else if (!segment.equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(parameters);
  }

  /** What looking a request up found. */
  sealed interface Lookup {

    /** The route to run, with the values of its path parameters. */
    record Found(Route route, Map<String, String> parameters) implements Lookup {
      public Found {
        parameters = Map.copyOf(parameters);
      }
    }

    /** The path exists, but not for this method; {@code allowed} are the methods it has. */
    record WrongMethod(List<String> allowed) implements Lookup {
      public WrongMethod {
        allowed = List.copyOf(allowed);
      }
    }

    /** Nothing is at this path. */
    record NoRoute() implements Lookup {}
  }
}
