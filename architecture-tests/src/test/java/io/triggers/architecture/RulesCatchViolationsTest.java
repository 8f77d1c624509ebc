package io.triggers.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.triggers.architecture.violations.adapters.http.EventsHandler;
import io.triggers.architecture.violations.adapters.http.FieldInjectedHandler;
import io.triggers.architecture.violations.adapters.http.HandlerThatAppliesAPolicy;
import io.triggers.architecture.violations.adapters.http.HandlerThatCallsAService;
import io.triggers.architecture.violations.adapters.http.HandlerThatKnowsBootstrap;
import io.triggers.architecture.violations.adapters.http.HttpModule;
import io.triggers.architecture.violations.adapters.http.IngestEndpoint;
import io.triggers.architecture.violations.adapters.postgres.PostgresStoreBackedByTheRedisAdapter;
import io.triggers.architecture.violations.adapters.postgres.PostgresStoreThatStartsItsOwnServer;
import io.triggers.architecture.violations.adapters.postgres.PostgresStoreThatWaitsForTheEmbeddedServer;
import io.triggers.architecture.violations.adapters.postgres.PostgresStoreWithLettuce;
import io.triggers.architecture.violations.adapters.postgres.PostgresWriter;
import io.triggers.architecture.violations.adapters.postgres.SqlStore;
import io.triggers.architecture.violations.adapters.postgres.embedded.EmbeddedServer;
import io.triggers.architecture.violations.adapters.redis.CachingStore;
import io.triggers.architecture.violations.adapters.redis.RedisCachingStore;
import io.triggers.architecture.violations.adapters.redis.RedisStoreImpl;
import io.triggers.architecture.violations.adapters.redis.RedisStore_Factory;
import io.triggers.architecture.violations.bootstrap.BootstrapFallbackStore;
import io.triggers.architecture.violations.bootstrap.BootstrapThatOpensTheDatabase;
import io.triggers.architecture.violations.bootstrap.BootstrapThatServesHttpItself;
import io.triggers.architecture.violations.bootstrap.Main;
import io.triggers.architecture.violations.core.delivery.Dispatcher;
import io.triggers.architecture.violations.core.delivery.DispatcherThatCallsTheService;
import io.triggers.architecture.violations.core.memory.InMemoryStore;
import io.triggers.architecture.violations.core.memory.InMemoryStoreThatCallsAService;
import io.triggers.architecture.violations.core.memory.InMemoryStoreThatFlushesInTheBackground;
import io.triggers.architecture.violations.core.memory.InMemoryWarehouse;
import io.triggers.architecture.violations.core.model.ModelThatKnowsAStore;
import io.triggers.architecture.violations.core.model.ModelThatReadsJson;
import io.triggers.architecture.violations.core.policy.PolicyThatCallsAService;
import io.triggers.architecture.violations.core.policy.ReadingLimit;
import io.triggers.architecture.violations.core.port.in.Ingest;
import io.triggers.architecture.violations.core.port.in.IngestCommand;
import io.triggers.architecture.violations.core.port.in.UseCaseThatNamesItsService;
import io.triggers.architecture.violations.core.port.out.AbstractStore;
import io.triggers.architecture.violations.core.port.out.Store;
import io.triggers.architecture.violations.core.port.out.StorePort;
import io.triggers.architecture.violations.core.port.out.StoreThatKnowsItsPolicy;
import io.triggers.architecture.violations.core.service.IngestService;
import io.triggers.architecture.violations.core.service.IngestUseCase;
import io.triggers.architecture.violations.core.service.InjectedService;
import io.triggers.architecture.violations.core.service.RetryDelays;
import io.triggers.architecture.violations.core.service.ServiceThatBuildsItsOwnStore;
import io.triggers.architecture.violations.core.service.ServiceThatPostsWebhooksItself;
import io.triggers.architecture.violations.core.service.ServiceThatStartsTheDispatcher;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every rule, built by the same factory as for production code but rooted at the violations
 * package, reports the deliberately bad class made for it, so no rule can pass by matching nothing.
 */
final class RulesCatchViolationsTest {

  private static final String ROOT = "io.triggers.architecture.violations";
  private static final JavaClasses VIOLATIONS = new ClassFileImporter().importPackages(ROOT);

  // Hexagonal architecture

  @Test
  void flagsCoreUsingALibrary() {
    assertReports(
        HexagonalArchitectureTest.coreDependsOnlyOnTheJdk(ROOT),
        ModelThatReadsJson.class,
        "com.fasterxml.jackson.databind.ObjectMapper");
  }

  @Test
  void flagsModelReachingForAPort() {
    ArchRule rule = HexagonalArchitectureTest.modelDependsOnNothingElseInCore(ROOT);

    assertReports(rule, ModelThatKnowsAStore.class, Store.class.getName());
  }

  @Test
  void flagsPortNamingTheServiceThatImplementsIt() {
    assertReports(
        HexagonalArchitectureTest.portsDoNotDependOnTheirImplementations(ROOT),
        UseCaseThatNamesItsService.class,
        IngestUseCase.class.getName());
  }

  @Test
  void flagsServiceBuildingAnInMemoryAdapterOrStartingThePipeline() {
    ArchRule rule =
        HexagonalArchitectureTest.servicesDoNotDependOnInMemoryAdaptersOrThePipeline(ROOT);

    assertReports(rule, ServiceThatBuildsItsOwnStore.class, InMemoryStore.class.getName());
    assertReports(rule, ServiceThatStartsTheDispatcher.class, Dispatcher.class.getName());
    assertDoesNotReport(rule, IngestService.class);
  }

  @Test
  void flagsPortNamingAPolicy() {
    assertReports(
        HexagonalArchitectureTest.portsDoNotDependOnTheirImplementations(ROOT),
        StoreThatKnowsItsPolicy.class,
        ReadingLimit.class.getName());
  }

  @Test
  void flagsInMemoryAdapterCallingAServiceButNotOneUsingOnlyItsPort() {
    ArchRule rule = HexagonalArchitectureTest.inMemoryAdaptersUseOnlyTheModelAndDrivenPorts(ROOT);

    assertReports(rule, InMemoryStoreThatCallsAService.class, IngestUseCase.class.getName());
    assertDoesNotReport(rule, InMemoryStore.class);
  }

  @Test
  void flagsAdapterReachingPastThePortForAService() {
    assertReports(
        HexagonalArchitectureTest.adaptersUseOnlyThePortsAndModelOfCore(ROOT),
        HandlerThatCallsAService.class,
        IngestUseCase.class.getName());
  }

  @Test
  void flagsAdapterApplyingAPolicyOfCore() {
    assertReports(
        HexagonalArchitectureTest.adaptersUseOnlyThePortsAndModelOfCore(ROOT),
        HandlerThatAppliesAPolicy.class,
        ReadingLimit.class.getName());
  }

  @Test
  void flagsAdapterUsingAnotherAdapter() {
    assertReports(
        HexagonalArchitectureTest.adaptersDoNotDependOnEachOther(ROOT),
        PostgresStoreBackedByTheRedisAdapter.class,
        RedisStoreImpl.class.getName());
  }

  @Test
  void flagsAdapterDependingOnBootstrap() {
    assertReports(
        HexagonalArchitectureTest.bootstrapIsALeaf(ROOT),
        HandlerThatKnowsBootstrap.class,
        Main.class.getName());
  }

  @Test
  void flagsCycleBetweenModules() {
    ArchRule rule = HexagonalArchitectureTest.modulesAreFreeOfCycles(ROOT);

    assertReports(rule, HandlerThatKnowsBootstrap.class, Main.class.getName());
    assertReports(rule, Main.class, IngestEndpoint.class.getName());
  }

  @Test
  void flagsCycleBetweenCorePackages() {
    ArchRule rule = HexagonalArchitectureTest.corePackagesAreFreeOfCycles(ROOT);

    assertReports(rule, ModelThatKnowsAStore.class, Store.class.getName());
  }

  @Test
  void flagsBootstrapImplementingAPortButNotWiringOne() {
    ArchRule rule = HexagonalArchitectureTest.bootstrapImplementsNoPort(ROOT);

    assertReports(rule, BootstrapFallbackStore.class, Store.class.getName());
    assertDoesNotReport(rule, Main.class);
  }

  @Test
  void flagsPostgresAdapterNeedingTheEmbeddedServer() {
    ArchRule rule = HexagonalArchitectureTest.postgresAdapterWorksWithoutTheEmbeddedServer(ROOT);

    assertReports(
        rule, PostgresStoreThatWaitsForTheEmbeddedServer.class, EmbeddedServer.class.getName());
    assertDoesNotReport(rule, PostgresWriter.class);
  }

  // Core packages

  @Test
  void flagsServicePackageClassThatIsNoUseCaseOrIsNamedAfterAnother() {
    ArchRule rule = CorePackagesTest.servicesAreUseCasesNamedAfterTheirPort(ROOT);

    assertReports(rule, RetryDelays.class, "implements exactly one use case");
    assertReports(rule, IngestUseCase.class, "IngestService");
    assertDoesNotReport(rule, IngestService.class);
  }

  @Test
  void flagsPolicyCallingAServiceButNotOneOverTheModel() {
    ArchRule rule = CorePackagesTest.policiesUseOnlyTheModelAndDrivenPorts(ROOT);

    assertReports(rule, PolicyThatCallsAService.class, IngestService.class.getName());
    assertDoesNotReport(rule, ReadingLimit.class);
  }

  @Test
  void flagsThreadsStartedInCoreOutsideTheDeliveryPipeline() {
    ArchRule rule = CorePackagesTest.onlyTheDeliveryPipelineStartsThreadsInCore(ROOT);
    Class<?> offender = InMemoryStoreThatFlushesInTheBackground.class;

    assertReports(rule, offender, "java.util.concurrent.Executors");
    assertReports(rule, offender, "java.util.concurrent.ExecutorService");
    assertReports(rule, offender, "java.lang.Thread.<init>");
    assertReports(rule, offender, "java.lang.Thread.start()");
    assertReports(rule, offender, "java.lang.Thread.ofVirtual()");
    assertDoesNotReport(rule, Dispatcher.class);
  }

  @Test
  void flagsDeliveryPipelineCallingTheServiceButNotTheUseCase() {
    ArchRule rule = CorePackagesTest.deliveryCallsUseCasesThroughTheirPorts(ROOT);

    assertReports(rule, DispatcherThatCallsTheService.class, IngestService.class.getName());
    assertDoesNotReport(rule, Dispatcher.class);
  }

  // Vendor isolation

  @Test
  void flagsUndertowAndXnioOutsideTheHttpAdapter() {
    ArchRule rule = VendorIsolationTest.undertowAndJacksonStayInTheHttpAdapter(ROOT);

    assertReports(rule, BootstrapThatServesHttpItself.class, "io.undertow.Undertow");
    assertReports(rule, BootstrapThatServesHttpItself.class, "org.xnio.XnioWorker");
    assertDoesNotReport(rule, IngestEndpoint.class);
  }

  @Test
  void flagsJacksonOutsideTheHttpAdapter() {
    assertReports(
        VendorIsolationTest.undertowAndJacksonStayInTheHttpAdapter(ROOT),
        ModelThatReadsJson.class,
        "com.fasterxml.jackson.databind.ObjectMapper");
  }

  @Test
  void flagsTheApacheHttpClientOutsideTheHttpAdapter() {
    assertReports(
        VendorIsolationTest.undertowAndJacksonStayInTheHttpAdapter(ROOT),
        ServiceThatPostsWebhooksItself.class,
        "org.apache.hc.client5.http.impl.classic.CloseableHttpClient");
  }

  @Test
  void flagsJdbiHikariPostgresqlAndFlywayOutsideThePostgresAdapter() {
    ArchRule rule = VendorIsolationTest.jdbiHikariPostgresqlAndFlywayStayInThePostgresAdapter(ROOT);

    assertReports(rule, BootstrapThatOpensTheDatabase.class, "org.jdbi.v3.core.Jdbi");
    assertReports(rule, BootstrapThatOpensTheDatabase.class, "com.zaxxer.hikari.HikariDataSource");
    assertReports(
        rule, BootstrapThatOpensTheDatabase.class, "org.postgresql.ds.PGSimpleDataSource");
    assertReports(rule, BootstrapThatOpensTheDatabase.class, "org.flywaydb.core.Flyway");
  }

  @Test
  void flagsEmbeddedPostgresqlOutsideItsAdapter() {
    ArchRule rule = VendorIsolationTest.embeddedPostgresqlStaysInItsAdapter(ROOT);

    assertReports(
        rule,
        PostgresStoreThatStartsItsOwnServer.class,
        "io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
    assertDoesNotReport(rule, EmbeddedServer.class);
  }

  @Test
  void flagsLettuceOutsideTheRedisAdapter() {
    assertReports(
        VendorIsolationTest.lettuceStaysInTheRedisAdapter(ROOT),
        PostgresStoreWithLettuce.class,
        "io.lettuce.core.RedisClient");
  }

  @Test
  void flagsDaggerOutsideBootstrap() {
    assertReports(
        VendorIsolationTest.daggerStaysInBootstrap(ROOT), HttpModule.class, "dagger.Module");
  }

  @Test
  void exemptsFactoriesThatDaggerGeneratesOutsideBootstrap() {
    JavaClass factory = VIOLATIONS.get(RedisStore_Factory.class);
    assertThat(factory.getDirectDependenciesFromSelf())
        .anyMatch(dependency -> dependency.getTargetClass().getPackageName().startsWith("dagger"));

    assertDoesNotReport(VendorIsolationTest.daggerStaysInBootstrap(ROOT), RedisStore_Factory.class);
  }

  // Naming conventions

  @Test
  void flagsImplSuffix() {
    assertReports(NamingConventionTest.noClassIsNamedImpl(ROOT), RedisStoreImpl.class, "Impl");
  }

  @Test
  void flagsDrivenPortWithBehaviourButNotAnInterface() {
    ArchRule rule = NamingConventionTest.drivenPortsAreInterfacesOrRecords(ROOT);

    assertReports(rule, AbstractStore.class, "interface");
    assertDoesNotReport(rule, Store.class);
  }

  @Test
  void flagsPortSuffix() {
    assertReports(NamingConventionTest.portsHaveNoPortSuffix(ROOT), StorePort.class, "Port");
  }

  @Test
  void flagsDrivingPortValueStandingAloneButNotOneNestedInItsUseCase() {
    ArchRule rule = NamingConventionTest.drivingPortsAreInterfacesWithNestedValues(ROOT);

    assertReports(rule, IngestCommand.class, "top-level record");
    assertDoesNotReport(rule, Ingest.class);
    assertDoesNotReport(rule, Ingest.Command.class);
  }

  @Test
  void flagsPostgresAdapterNotNamedAfterPostgres() {
    ArchRule rule =
        NamingConventionTest.drivenAdaptersAreNamedAfterTheirTechnology(
            ROOT, "postgres", "Postgres");

    assertReports(rule, SqlStore.class, "Postgres");
    assertReports(rule, PostgresWriter.class, "Store");
    assertDoesNotReport(rule, PostgresStoreBackedByTheRedisAdapter.class);
  }

  @Test
  void flagsInMemoryAdapterNotNamedAfterItsPort() {
    ArchRule rule = NamingConventionTest.inMemoryAdaptersAreNamedAfterTheirPort(ROOT);

    assertReports(rule, InMemoryWarehouse.class, "Store");
    assertDoesNotReport(rule, InMemoryStore.class);
  }

  @Test
  void flagsRedisAdapterNotNamedAfterRedis() {
    ArchRule rule =
        NamingConventionTest.drivenAdaptersAreNamedAfterTheirTechnology(ROOT, "redis", "Redis");

    assertReports(rule, CachingStore.class, "Redis");
    assertDoesNotReport(rule, RedisStoreImpl.class);
    assertDoesNotReport(rule, RedisCachingStore.class);
  }

  @Test
  void flagsUndertowHandlerNotEndingWithHandler() {
    assertReports(
        NamingConventionTest.undertowHandlersEndWithHandler(ROOT), IngestEndpoint.class, "Handler");
  }

  @Test
  void flagsRouteGroupNamedLikeAnUndertowHandler() {
    ArchRule rule = NamingConventionTest.onlyUndertowHandlersEndWithHandler(ROOT);

    assertReports(rule, EventsHandler.class, "io.undertow.server.HttpHandler");
    assertDoesNotReport(rule, IngestEndpoint.class);
  }

  @Test
  void flagsUseCaseServiceNotEndingWithService() {
    assertReports(
        NamingConventionTest.useCaseServicesEndWithService(ROOT), IngestUseCase.class, "Service");
  }

  // Dependency injection

  @Test
  void flagsFieldInjection() {
    assertReports(
        DependencyInjectionTest.noFieldIsInjected(ROOT),
        FieldInjectedHandler.class,
        "is annotated with @Inject");
  }

  @Test
  void flagsInjectionAnnotationsOnCoreClassesConstructorsAndParameters() {
    ArchRule rule = DependencyInjectionTest.coreCarriesNoInjectionAnnotations(ROOT);

    assertReports(rule, InjectedService.class, "@jakarta.inject.Singleton");
    assertReports(rule, InjectedService.class, "@jakarta.inject.Inject");
    assertReports(rule, InjectedService.class, "@jakarta.inject.Named");
  }

  /** Asserts that one line of the rule's report names {@code offender} and {@code mentioned}. */
  private static void assertReports(ArchRule rule, Class<?> offender, String mentioned) {
    List<String> details = evaluate(rule);

    assertThat(details)
        .as("violations of: %s", rule.getDescription())
        .anyMatch(detail -> names(detail, offender) && detail.contains(mentioned));
  }

  private static void assertDoesNotReport(ArchRule rule, Class<?> innocent) {
    List<String> details = evaluate(rule);

    assertThat(details)
        .as("violations of: %s", rule.getDescription())
        .noneMatch(detail -> names(detail, innocent));
  }

  private static List<String> evaluate(ArchRule rule) {
    EvaluationResult result = rule.evaluate(VIOLATIONS);
    return result.getFailureReport().getDetails();
  }

  /** Whether the text names exactly this class, not merely one whose name starts the same. */
  private static boolean names(String text, Class<?> type) {
    return Pattern.compile(Pattern.quote(type.getName()) + "(?![\\w$])").matcher(text).find();
  }
}
