package io.triggers.architecture.violations.bootstrap;

import io.triggers.architecture.violations.adapters.http.IngestEndpoint;

/** A well-behaved entry point that wires an adapter. */
public final class Main {

  private Main() {}

  /** Builds the server. */
  public static void main(String[] args) {
    new IngestEndpoint();
  }
}
