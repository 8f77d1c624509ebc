package io.triggers.core.port.in;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Tier;
import java.util.Objects;

/** Creates an organization and its first API key, which is shown this once. */
public interface GenerateApiKey {

  /** Creates an organization with its first API key. */
  IssuedKey generate(Command command);

  /** A request for a new organization of the given tier. */
  record Command(OrganizationName name, Tier tier) {
    /** Checks that every component is present and valid. */
    public Command {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(tier, "tier");
    }
  }

  /** The new organization and its key in clear text. */
  record IssuedKey(Organization organization, ApiKey apiKey) {
    /** Checks that every component is present and valid. */
    public IssuedKey {
      Objects.requireNonNull(organization, "organization");
      Objects.requireNonNull(apiKey, "apiKey");
    }
  }
}
