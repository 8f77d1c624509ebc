package io.triggers.adapters.http;

import io.triggers.core.model.TriggersException;

/**
 * Ends a request early with an error reply, for input refused before or while an endpoint reads it.
 * An expected outcome, so it carries no stack trace.
 */
final class ApiException extends TriggersException {

  private final transient Reply reply;

  ApiException(Reply reply) {
    super(messageOf(reply));
    this.reply = reply;
  }

  ApiException(int status, String code, String message) {
    this(Reply.error(status, code, message));
  }

  Reply reply() {
    return reply;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  private static String messageOf(Reply reply) {
    return reply.body() instanceof Reply.ErrorBody error ? error.message() : "refused";
  }
}
