package io.triggers.adapters.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.xnio.Options;

/**
 * The Triggers HTTP API on Undertow. Requests are parsed on the IO threads and answered on virtual
 * threads, but for ingest by a caller whose key is cached, which the IO threads start and the
 * commit's completion answers; {@link #stop} stops accepting, lets requests in flight finish within
 * the grace period, then closes the listener. The Prometheus scrape is served as the {@link
 * MetricsEndpoint} says: on the API's listener, or on a second listener that serves nothing else.
 */
public final class HttpServer implements AutoCloseable {

  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  private static final int IDLE_CONNECTION_MILLIS = 60_000;
  private static final int HEADER_READ_MILLIS = 10_000;

  private final RouteTable routes;
  private final BodyBudget bodyBudget;
  private final ExecutorService executor;
  private final GracefulShutdownHandler shutdown;
  private final GracefulShutdownHandler metricsShutdown;
  private final boolean separateMetricsListener;
  private final Undertow undertow;
  private State state = State.NEW;
  private volatile boolean stopping;

  /** Serves {@code /metrics} on the API's port, open to anyone who can reach it. */
  public HttpServer(
      HttpSettings settings,
      UseCases useCases,
      MeterRegistry meters,
      Supplier<String> prometheusText) {
    this(settings, MetricsEndpoint.onApiPort(), useCases, meters, prometheusText);
  }

  /** Serves {@code /metrics} where and to whom {@code metrics} says. */
  public HttpServer(
      HttpSettings settings,
      MetricsEndpoint metrics,
      UseCases useCases,
      MeterRegistry meters,
      Supplier<String> prometheusText) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(useCases, "useCases");
    Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(prometheusText, "prometheusText");
    List<Route> metricsRoutes = new MetricsRoutes(prometheusText, metrics.token()).routes();
    this.routes =
        new RouteTable(
            metrics.port().isPresent()
                ? routesOf(useCases, meters)
                : Stream.concat(routesOf(useCases, meters).stream(), metricsRoutes.stream())
                    .toList());
    this.bodyBudget = new BodyBudget(settings.maxBodyMemoryBytes());
    Gauge.builder("triggers.http.body.memory", bodyBudget, BodyBudget::used)
        .description("memory held by request bodies being read or handled")
        .baseUnit("bytes")
        .register(meters);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    Authentication authentication =
        new Authentication(useCases.authenticateApiKey(), settings.adminToken());
    BodyReader bodyReader =
        new BodyReader(settings.maxBodyBytes(), bodyBudget, settings.bodyReadTimeout());
    RequestMetrics requestMetrics = new RequestMetrics(meters);
    RequestLog requestLog = new RequestLog(settings.accessLog());
    ReadyReplies readyReplies = new ReadyReplies();
    this.shutdown =
        new GracefulShutdownHandler(
            new ApiHandler(
                routes,
                authentication,
                bodyReader,
                requestMetrics,
                requestLog,
                executor,
                readyReplies));
    this.metricsShutdown =
        new GracefulShutdownHandler(
            new ApiHandler(
                new RouteTable(metricsRoutes),
                authentication,
                bodyReader,
                requestMetrics,
                requestLog,
                executor,
                readyReplies));
    this.separateMetricsListener = metrics.port().isPresent();
    int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    Undertow.Builder builder = Undertow.builder().addHttpListener(settings.port(), settings.host());
    if (separateMetricsListener) {
      builder.addHttpListener(metrics.port().getAsInt(), settings.host(), serving(metricsShutdown));
    }
    this.undertow =
        builder
            .setIoThreads(ioThreads)
            // Requests run on virtual threads; the XNIO worker pool only serves Undertow itself.
            .setWorkerThreads(ioThreads)
            // No global cap: the API handler sets each request's own, after it can answer 413.
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, IDLE_CONNECTION_MILLIS)
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, HEADER_READ_MILLIS)
            .setSocketOption(Options.BACKLOG, 1024)
            .setHandler(serving(shutdown))
            .build();
  }

  /** The root handler of a listener: the API's error format, and 503 once stopping began. */
  private HttpHandler serving(GracefulShutdownHandler handler) {
    return exchange -> {
      exchange.addDefaultResponseListener(HttpServer::answerInOurFormat);
      if (stopping) {
        refuse(exchange);
      } else {
        handler.handleRequest(exchange);
      }
    };
  }

  private static List<Route> routesOf(UseCases useCases, MeterRegistry meters) {
    return Stream.of(
            new KeyRoutes(useCases.generateApiKey(), useCases.rotateApiKey()).routes(),
            new WebhookRoutes(useCases.configureWebhook()).routes(),
            new EndpointRoutes(useCases.manageEndpoints()).routes(),
            new EndpointRecoveryRoutes(useCases.recoverEndpoint()).routes(),
            new IngestRoutes(useCases.ingestEvent(), new IngestMetrics(meters)).routes(),
            new EventRoutes(
                    useCases.getEvent(),
                    useCases.getInboxState(),
                    useCases.deleteEvent(),
                    useCases.redeliverEvent())
                .routes(),
            new AttemptRoutes(useCases.listAttempts()).routes(),
            new InboxRoutes(
                    useCases.listInbox(), useCases.listDeadEvents(), useCases.acknowledgeEvents())
                .routes(),
            new LeaseRoutes(
                    useCases.leaseEvents(),
                    useCases.acknowledgeLease(),
                    useCases.extendLease(),
                    useCases.releaseLease(),
                    useCases.seekInbox())
                .routes(),
            new HealthRoutes(useCases.checkReadiness()).routes(),
            new OpenApiRoutes().routes())
        .flatMap(List::stream)
        .toList();
  }

  /** Binds the listener and starts serving. */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("the server was already started");
    }
    undertow.start();
    state = State.STARTED;
  }

  /** The port the listener is bound to; useful after starting on port 0. */
  public synchronized int port() {
    if (state != State.STARTED) {
      throw new IllegalStateException("the server is not running");
    }
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** The port of the listener serving only {@code /metrics}, when there is one. */
  public synchronized OptionalInt metricsPort() {
    if (state != State.STARTED) {
      throw new IllegalStateException("the server is not running");
    }
    if (!separateMetricsListener) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(
        ((InetSocketAddress) undertow.getListenerInfo().get(1).getAddress()).getPort());
  }

  /**
   * Refuses new requests with 503, waits up to {@code grace} for those in flight, then closes the
   * listener and interrupts whatever is still running. Idempotent.
   */
  public synchronized void stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (state == State.STOPPED) {
      return;
    }
    if (state == State.STARTED) {
      stopping = true;
      shutdown.shutdown();
      metricsShutdown.shutdown();
      try {
        long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
        shutdown.awaitShutdown(Math.max(0, grace.toMillis()));
        metricsShutdown.awaitShutdown(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      undertow.stop();
    }
    executor.shutdownNow();
    state = State.STOPPED;
  }

  /**
   * Answers a request that came after stopping began in the API's error format, with {@code
   * Retry-After}, and closes its connection so that the client goes elsewhere.
   */
  private static void refuse(HttpServerExchange exchange) {
    String requestId = RequestIds.assign(exchange);
    exchange.setPersistent(false);
    ReplyWriter.write(exchange, requestId, ErrorResponses.shuttingDown());
  }

  /**
   * Gives a response that Undertow would end without a body (a request it could not hand to a
   * worker, a failure outside every endpoint) the API's error body and request id.
   */
  private static boolean answerInOurFormat(HttpServerExchange exchange) {
    if (exchange.isResponseStarted()
        || ReplyWriter.answered(exchange)
        || exchange.getStatusCode() < 400) {
      return false;
    }
    String requestId = exchange.getResponseHeaders().getFirst(RequestIds.HEADER);
    if (requestId == null) {
      requestId = RequestIds.assign(exchange);
    }
    ReplyWriter.write(exchange, requestId, ErrorResponses.forStatus(exchange.getStatusCode()));
    return true;
  }

  /** Stops with a grace period of ten seconds. */
  @Override
  public void close() {
    stop(DEFAULT_GRACE);
  }

  List<Route> routes() {
    return routes.all();
  }

  BodyBudget bodyBudget() {
    return bodyBudget;
  }

  private enum State {
    NEW,
    STARTED,
    STOPPED
  }
}
