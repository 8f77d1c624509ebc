package io.triggers.core.memory;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Endpoints;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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
      return endpoints.replace(endpoint.id(), endpoint) != null;
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
                  endpoint.updatedAt());
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
  public boolean deleteDefault(OrganizationId organization) {
    EndpointId id = defaults.get(organization);
    return id != null && delete(organization, id);
  }
}
