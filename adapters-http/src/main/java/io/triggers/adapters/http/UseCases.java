package io.triggers.adapters.http;

import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.AcknowledgeLease;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.triggers.core.port.in.CheckReadiness;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.in.ExtendLease;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.in.GetInboxState;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.in.LeaseEvents;
import io.triggers.core.port.in.ListAttempts;
import io.triggers.core.port.in.ListDeadEvents;
import io.triggers.core.port.in.ListInbox;
import io.triggers.core.port.in.ManageEndpoints;
import io.triggers.core.port.in.RecoverEndpoint;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.in.ReleaseLease;
import io.triggers.core.port.in.RotateApiKey;
import io.triggers.core.port.in.SeekInbox;
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
    CheckReadiness checkReadiness,
    LeaseEvents leaseEvents,
    AcknowledgeLease acknowledgeLease,
    ExtendLease extendLease,
    ReleaseLease releaseLease,
    SeekInbox seekInbox,
    ListDeadEvents listDeadEvents,
    GetInboxState getInboxState,
    ListAttempts listAttempts,
    RecoverEndpoint recoverEndpoint) {

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
    Objects.requireNonNull(leaseEvents, "leaseEvents");
    Objects.requireNonNull(acknowledgeLease, "acknowledgeLease");
    Objects.requireNonNull(extendLease, "extendLease");
    Objects.requireNonNull(releaseLease, "releaseLease");
    Objects.requireNonNull(seekInbox, "seekInbox");
    Objects.requireNonNull(listDeadEvents, "listDeadEvents");
    Objects.requireNonNull(getInboxState, "getInboxState");
    Objects.requireNonNull(listAttempts, "listAttempts");
    Objects.requireNonNull(recoverEndpoint, "recoverEndpoint");
  }
}
