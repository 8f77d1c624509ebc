package io.triggers.architecture.violations.bootstrap;

import io.undertow.Undertow;
import org.xnio.XnioWorker;

/** Wrong on purpose: bootstrap running Undertow and XNIO itself instead of the HTTP adapter. */
public record BootstrapThatServesHttpItself(Undertow server, XnioWorker worker) {}
