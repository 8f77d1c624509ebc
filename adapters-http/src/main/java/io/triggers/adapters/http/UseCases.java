package io.triggers.adapters.http;

import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.triggers.core.port.in.CheckReadiness;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.in.ListInbox;
import io.triggers.core.port.in.ManageEndpoints;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.in.RotateApiKey;
import java.util.Objects;

/** Every use case the HTTP API drives, handed over as one value by whoever wires the server. */
public record UseCases(
    GenerateApiKey generateApiKey,
    RotateApiKey rotateApiKey,
    AuthenticateApiKey authenticateApiKey,
    ConfigureWebhook configureWebhook,
    ManageEndpoints manageEndpoints,
    IngestEvent ingestEvent,
    GetEvent getEvent,
    DeleteEvent deleteEvent,
    ListInbox listInbox,
    AcknowledgeEvents acknowledgeEvents,
    RedeliverEvent redeliverEvent,
    CheckReadiness checkReadiness) {

  public UseCases {
    Objects.requireNonNull(generateApiKey, "generateApiKey");
    Objects.requireNonNull(rotateApiKey, "rotateApiKey");
    Objects.requireNonNull(authenticateApiKey, "authenticateApiKey");
    Objects.requireNonNull(configureWebhook, "configureWebhook");
    Objects.requireNonNull(manageEndpoints, "manageEndpoints");
    Objects.requireNonNull(ingestEvent, "ingestEvent");
    Objects.requireNonNull(getEvent, "getEvent");
    Objects.requireNonNull(deleteEvent, "deleteEvent");
    Objects.requireNonNull(listInbox, "listInbox");
    Objects.requireNonNull(acknowledgeEvents, "acknowledgeEvents");
    Objects.requireNonNull(redeliverEvent, "redeliverEvent");
    Objects.requireNonNull(checkReadiness, "checkReadiness");
  }
}
