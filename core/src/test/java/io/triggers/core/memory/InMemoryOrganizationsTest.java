package io.triggers.core.memory;

import io.triggers.core.port.out.Organizations;
import io.triggers.core.testing.OrganizationsContract;

class InMemoryOrganizationsTest extends OrganizationsContract {

  @Override
  protected Organizations newOrganizations() {
    return new InMemoryOrganizations();
  }
}
