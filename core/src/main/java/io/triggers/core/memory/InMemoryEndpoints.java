package io.triggers.core.memory;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
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
      return endpoints.remove(id) != null;
    }
  }
}
