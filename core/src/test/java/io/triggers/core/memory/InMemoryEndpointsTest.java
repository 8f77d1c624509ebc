package io.triggers.core.memory;

import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.testing.EndpointsContract;

class InMemoryEndpointsTest extends EndpointsContract {

  private final Organizations organizations = new InMemoryOrganizations();

  @Override
  protected Endpoints newEndpoints() {
    return new InMemoryEndpoints();
  }

  @Override
  protected Organizations organizations() {
    return organizations;
  }
}
