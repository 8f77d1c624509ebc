package io.triggers.core.memory;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Endpoints;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/** The organizations' endpoints held in this process's memory. */
public final class InMemoryEndpoints implements Endpoints {

  /** Each organization's endpoints in creation order; a map is changed only while locked. */
  private final ConcurrentMap<OrganizationId, Map<EndpointId, Endpoint>> byOrganization =
      new ConcurrentHashMap<>();

  /** Each organization's default endpoint, changed only while its endpoints are locked. */
  private final ConcurrentMap<OrganizationId, EndpointId> defaults = new ConcurrentHashMap<>();

  /** No endpoints to begin with. */
  public InMemoryEndpoints() {}

  @Override
  public CreateResult create(OrganizationId organization, Endpoint endpoint) {
    Map<EndpointId, Endpoint> endpoints =
        byOrganization.computeIfAbsent(organization, key -> new LinkedHashMap<>());
    synchronized (endpoints) {
      if (endpoints.size() >= MAX_PER_ORGANIZATION) {
        return new CreateResult.LimitReached(MAX_PER_ORGANIZATION);
      }
      endpoints.put(endpoint.id(), endpoint);
      return new CreateResult.Created(endpoint);
    }
  }

  @Override
  public List<Endpoint> list(OrganizationId organization) {
    Map<EndpointId, Endpoint> endpoints = byOrganization.get(organization);
    if (endpoints == null) {
      return List.of();
    }
    synchronized (endpoints) {
      return List.copyOf(endpoints.values());
    }
  }

  @Override
  public Optional<Endpoint> find(OrganizationId organization, EndpointId id) {
    Map<EndpointId, Endpoint> endpoints = byOrganization.get(organization);
    if (endpoints == null) {
      return Optional.empty();
    }
    synchronized (endpoints) {
      return Optional.ofNullable(endpoints.get(id));
    }
  }

  @Override
  public boolean replace(OrganizationId organization, Endpoint endpoint) {
    Map<EndpointId, Endpoint> endpoints = byOrganization.get(organization);
    if (endpoints == null) {
      return false;
    }
    synchronized (endpoints) {
      Endpoint stored = endpoints.get(endpoint.id());
      return stored != null
          && endpoints.replace(endpoint.id(), endpoint.withFailures(stored.failures())) != null;
    }
  }

  @Override
  public boolean delete(OrganizationId organization, EndpointId id) {
    Map<EndpointId, Endpoint> endpoints = byOrganization.get(organization);
    if (endpoints == null) {
      return false;
    }
    synchronized (endpoints) {
      defaults.remove(organization, id);
      return endpoints.remove(id) != null;
    }
  }

  @Override
  public Endpoint saveDefault(OrganizationId organization, Endpoint endpoint) {
    Map<EndpointId, Endpoint> endpoints =
        byOrganization.computeIfAbsent(organization, key -> new LinkedHashMap<>());
    synchronized (endpoints) {
      EndpointId current = defaults.get(organization);
      Endpoint saved =
          current == null
              ? endpoint
              : new Endpoint(
                  current,
                  endpoint.url(),
                  endpoint.signingSecret(),
                  Optional.empty(),
                  List.of(),
                  endpoints.get(current).description(),
                  EndpointStatus.ENABLED,
                  endpoints.get(current).createdAt(),
                  endpoint.updatedAt(),
                  Optional.empty());
      endpoints.put(saved.id(), saved);
      defaults.put(organization, saved.id());
      return saved;
    }
  }

  @Override
  public Optional<Endpoint> findDefault(OrganizationId organization) {
    EndpointId id = defaults.get(organization);
    return id == null ? Optional.empty() : find(organization, id);
  }

  @Override
  public Optional<EndpointId> deleteDefault(OrganizationId organization) {
    Map<EndpointId, Endpoint> endpoints = byOrganization.get(organization);
    if (endpoints == null) {
      return Optional.empty();
    }
    synchronized (endpoints) {
      EndpointId id = defaults.remove(organization);
      if (id != null) {
        endpoints.remove(id);
      }
      return Optional.ofNullable(id);
    }
  }

  @Override
  public Optional<FailureStreak> recordFailures(
      OrganizationId organization, EndpointId id, Instant firstAt, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    return update(
            organization,
            id,
            endpoint ->
                endpoint.withFailures(
                    Optional.of(
                        endpoint
                            .failures()
                            .map(run -> new FailureStreak(run.since(), run.attempts() + count))
                            .orElseGet(() -> new FailureStreak(firstAt, count)))))
        .flatMap(Endpoint::failures);
  }

  @Override
  public void clearFailures(OrganizationId organization, EndpointId id) {
    update(organization, id, endpoint -> endpoint.withFailures(Optional.empty()));
  }

  @Override
  public boolean disable(OrganizationId organization, EndpointId id, URI url, Instant at) {
    Map<EndpointId, Endpoint> endpoints = byOrganization.get(organization);
    if (endpoints == null) {
      return false;
    }
    synchronized (endpoints) {
      Endpoint stored = endpoints.get(id);
      if (stored == null || !stored.isEnabled() || !stored.url().equals(url)) {
        return false;
      }
      endpoints.put(id, stored.withStatus(EndpointStatus.DISABLED, at));
      return true;
    }
  }

  /** Stores what {@code change} makes of the endpoint, if the organization has it. */
  private Optional<Endpoint> update(
      OrganizationId organization, EndpointId id, UnaryOperator<Endpoint> change) {
    Map<EndpointId, Endpoint> endpoints = byOrganization.get(organization);
    if (endpoints == null) {
      return Optional.empty();
    }
    synchronized (endpoints) {
      return Optional.ofNullable(
          endpoints.computeIfPresent(id, (key, endpoint) -> change.apply(endpoint)));
    }
  }
}
