package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.testing.OrganizationChangesContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalOrganizationChangesTest extends OrganizationChangesContract {

  private final LocalOrganizationChanges changes = new LocalOrganizationChanges();

  @Override
  protected OrganizationChanges newNode() {
    return changes;
  }

  @Test
  void tellsListenersBeforeTheAnnouncementReturns() {
    // given
    List<OrganizationId> heard = new ArrayList<>();
    changes.listen(
        new OrganizationChanges.Listener() {
          @Override
          public void changed(OrganizationId organization) {
            heard.add(organization);
          }

          @Override
          public void mayHaveMissedChanges() {
            throw new AssertionError("nothing is missed within one process");
          }
        });
    OrganizationId organization = fixtures.organization().id();

    // when
    changes.announce(organization);

    // then
    assertThat(heard).containsExactly(organization);
  }
}
