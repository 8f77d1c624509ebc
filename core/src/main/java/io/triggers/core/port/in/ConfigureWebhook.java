package io.triggers.core.port.in;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Webhook;
import java.util.Objects;

/** Sets or removes the URL an organization's events are pushed to. */
public interface ConfigureWebhook {

  /** Checks the URL against the target rules and stores it with a new signing secret. */
  Outcome configure(OrganizationId organization, String url);

  /**
   * Stops pushing events: removes the default endpoint, whose deliveries not yet made end as failed
   * ("endpoint deleted"), as deleting any endpoint ends them; the events stay in the inbox.
   * Idempotent.
   */
  void remove(OrganizationId organization);

  /** What configuring did. */
  sealed interface Outcome {

    /** The webhook is stored; its signing secret is shown this once. */
    record Configured(Webhook webhook) implements Outcome {
      /** Checks that every component is present and valid. */
      public Configured {
        Objects.requireNonNull(webhook, "webhook");
      }
    }

    /** The URL breaks a rule (scheme, form, or a private address); {@code reason} says which. */
    record Refused(String reason) implements Outcome {
      /** Checks that every component is present and valid. */
      public Refused {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
