package io.triggers.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.triggers.architecture.TriggersClasses.MAIN;
import static io.triggers.architecture.TriggersClasses.ROOT;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names say what a class is and where a request goes, as the house style lays out. */
final class NamingConventionTest {

  static final ArchRule NO_CLASS_IS_NAMED_IMPL = noClassIsNamedImpl(ROOT);
  static final ArchRule DRIVEN_PORTS_ARE_INTERFACES_OR_RECORDS =
      drivenPortsAreInterfacesOrRecords(ROOT);
  static final ArchRule PORTS_HAVE_NO_PORT_SUFFIX = portsHaveNoPortSuffix(ROOT);
  static final ArchRule DRIVING_PORTS_ARE_INTERFACES_WITH_NESTED_VALUES =
      drivingPortsAreInterfacesWithNestedValues(ROOT);
  static final ArchRule POSTGRES_ADAPTERS_ARE_NAMED_AFTER_POSTGRES =
      drivenAdaptersAreNamedAfterTheirTechnology(ROOT, "postgres", "Postgres");
  static final ArchRule REDIS_ADAPTERS_ARE_NAMED_AFTER_REDIS =
      drivenAdaptersAreNamedAfterTheirTechnology(ROOT, "redis", "Redis");
  static final ArchRule METRICS_ADAPTERS_ARE_NAMED_AFTER_MICROMETER =
      drivenAdaptersAreNamedAfterTheirTechnology(ROOT, "metrics", "Micrometer");
  static final ArchRule IN_MEMORY_ADAPTERS_ARE_NAMED_AFTER_THEIR_PORT =
      inMemoryAdaptersAreNamedAfterTheirPort(ROOT);
  static final ArchRule UNDERTOW_HANDLERS_END_WITH_HANDLER = undertowHandlersEndWithHandler(ROOT);
  static final ArchRule ONLY_UNDERTOW_HANDLERS_END_WITH_HANDLER =
      onlyUndertowHandlersEndWithHandler(ROOT);
  static final ArchRule USE_CASE_SERVICES_END_WITH_SERVICE = useCaseServicesEndWithService(ROOT);

  static ArchRule noClassIsNamedImpl(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + "..")
        .and(DescribedPredicate.not(VendorIsolationTest.generatedByDagger()))
        .should()
        .haveSimpleNameEndingWith("Impl")
        .because(
            "a name says what sets an implementation apart (PostgresEventLog), and Impl says"
                + " only that there is an interface");
  }

  static ArchRule drivenPortsAreInterfacesOrRecords(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.port.out..")
        .should()
        .beInterfaces()
        .orShould()
        .beRecords()
        .because(
            "a driven port is a contract that core calls, and the values it speaks in are"
                + " records; behaviour belongs in the adapters");
  }

  static ArchRule portsHaveNoPortSuffix(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".core.port..")
        .should()
        .haveSimpleNameEndingWith("Port")
        .because(
            "ports are named after the role they play (RateLimiter, EventLog); the package"
                + " already says they are ports");
  }

  static ArchRule drivingPortsAreInterfacesWithNestedValues(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.port.in..")
        .should(beInterfacesOrRecordsNestedInThem())
        .because(
            "a use case is one interface that carries its own command and outcome types, so a"
                + " reader finds them together");
  }

  static ArchRule drivenAdaptersAreNamedAfterTheirTechnology(
      String root, String adapter, String technology) {
    return classes()
        .that()
        .resideInAPackage(root + ".adapters." + adapter + "..")
        .and()
        .areNotAnonymousClasses()
        .and(implementAnInterfaceIn(root + ".core.port.out.."))
        .should(beNamedAfterOneOfTheirPorts(root + ".core.port.out..", technology))
        .because(
            "an adapter is named <Technology><Port>, such as "
                + technology
                + "RateLimiter, or <Technology><Kind><Port> when it is one of several, such as"
                + " RedisFallbackRateLimiter, so its name says which port it fills and with what")
        .allowEmptyShould(true);
  }

  static ArchRule inMemoryAdaptersAreNamedAfterTheirPort(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.memory..")
        .and()
        .areTopLevelClasses()
        .and(implementAnInterfaceIn(root + ".core.port.out.."))
        .should(endWithTheirPortOrStoreWhenTheyFillSeveral(root + ".core.port.out.."))
        .because(
            "an in-memory adapter is named <Kind><Port> (InMemoryDeduplicator, LocalRateLimiter);"
                + " one storage behind several ports is named after the store it keeps"
                + " (InMemoryEventStore)")
        .allowEmptyShould(true);
  }

  static ArchRule undertowHandlersEndWithHandler(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".adapters.http..")
        .and()
        .areNotAnonymousClasses()
        .and()
        .implement("io.undertow.server.HttpHandler")
        .should()
        .haveSimpleNameEndingWith("Handler")
        .because("a reader follows a request from the routes to the class named after its handler")
        .allowEmptyShould(true);
  }

  static ArchRule onlyUndertowHandlersEndWithHandler(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".adapters.http..")
        .and()
        .haveSimpleNameEndingWith("Handler")
        .should()
        .implement("io.undertow.server.HttpHandler")
        .because(
            "Handler means an Undertow handler; a group of routes is named after what it serves,"
                + " as EventRoutes")
        .allowEmptyShould(true);
  }

  static ArchRule useCaseServicesEndWithService(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.service..")
        .and()
        .areNotAnonymousClasses()
        .and(implementAnInterfaceIn(root + ".core.port.in.."))
        .should()
        .haveSimpleNameEndingWith("Service")
        .because(
            "each use case has one service named after it, as IngestEventService for IngestEvent");
  }

  private static DescribedPredicate<JavaClass> implementAnInterfaceIn(String packageIdentifier) {
    DescribedPredicate<JavaClass> inPackage = resideInAPackage(packageIdentifier);
    return DescribedPredicate.describe(
        "implement an interface in '" + packageIdentifier + "'",
        javaClass ->
            !javaClass.isInterface()
                && javaClass.getAllRawInterfaces().stream().anyMatch(inPackage));
  }

  private static List<String> portNames(JavaClass javaClass, String portPackage) {
    DescribedPredicate<JavaClass> inPackage = resideInAPackage(portPackage);
    return javaClass.getAllRawInterfaces().stream()
        .filter(inPackage)
        .map(JavaClass::getSimpleName)
        .sorted()
        .toList();
  }

  private static ArchCondition<JavaClass> beNamedAfterOneOfTheirPorts(
      String portPackage, String technology) {
    return new ArchCondition<>("be named " + technology + "[Kind]<Port> after one of their ports") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        List<String> ports = portNames(javaClass, portPackage);
        String name = javaClass.getSimpleName();
        boolean satisfied =
            name.startsWith(technology)
                && ports.stream().anyMatch(port -> name.indexOf(port, technology.length()) >= 0);
        events.add(
            new SimpleConditionEvent(
                javaClass,
                satisfied,
                javaClass.getDescription()
                    + (satisfied ? " is" : " is not")
                    + " named "
                    + technology
                    + "[Kind]<Port> after one of "
                    + ports));
      }
    };
  }

  private static ArchCondition<JavaClass> endWithTheirPortOrStoreWhenTheyFillSeveral(
      String portPackage) {
    return new ArchCondition<>("end with their port's name, or with Store if they fill several") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        List<String> ports = portNames(javaClass, portPackage);
        String name = javaClass.getSimpleName();
        boolean satisfied =
            ports.size() > 1 ? name.endsWith("Store") : name.endsWith(ports.getFirst());
        events.add(
            new SimpleConditionEvent(
                javaClass,
                satisfied,
                javaClass.getDescription()
                    + (satisfied ? " is" : " is not")
                    + " named after its port"
                    + (ports.size() > 1 ? "s' store " : " ")
                    + ports));
      }
    };
  }

  private static ArchCondition<JavaClass> beInterfacesOrRecordsNestedInThem() {
    return new ArchCondition<>("be interfaces, or records nested in one") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        boolean satisfied =
            javaClass.isInterface() || (javaClass.isRecord() && javaClass.isNestedClass());
        String kind = javaClass.isRecord() ? "a top-level record" : "neither interface nor record";
        events.add(
            new SimpleConditionEvent(
                javaClass,
                satisfied,
                javaClass.getDescription() + " is " + (satisfied ? "allowed" : kind)));
      }
    };
  }

  @Test
  void noClassIsNamedImpl() {
    NO_CLASS_IS_NAMED_IMPL.check(MAIN);
  }

  @Test
  void drivenPortsAreInterfacesOrRecords() {
    DRIVEN_PORTS_ARE_INTERFACES_OR_RECORDS.check(MAIN);
  }

  @Test
  void portsHaveNoPortSuffix() {
    PORTS_HAVE_NO_PORT_SUFFIX.check(MAIN);
  }

  @Test
  void drivingPortsAreInterfacesWithNestedValues() {
    DRIVING_PORTS_ARE_INTERFACES_WITH_NESTED_VALUES.check(MAIN);
  }

  @Test
  void postgresAdaptersAreNamedAfterPostgres() {
    POSTGRES_ADAPTERS_ARE_NAMED_AFTER_POSTGRES.check(MAIN);
  }

  @Test
  void redisAdaptersAreNamedAfterRedis() {
    REDIS_ADAPTERS_ARE_NAMED_AFTER_REDIS.check(MAIN);
  }

  @Test
  void metricsAdaptersAreNamedAfterMicrometer() {
    METRICS_ADAPTERS_ARE_NAMED_AFTER_MICROMETER.check(MAIN);
  }

  @Test
  void inMemoryAdaptersAreNamedAfterTheirPort() {
    IN_MEMORY_ADAPTERS_ARE_NAMED_AFTER_THEIR_PORT.check(MAIN);
  }

  @Test
  void undertowHandlersEndWithHandler() {
    UNDERTOW_HANDLERS_END_WITH_HANDLER.check(MAIN);
  }

  @Test
  void onlyUndertowHandlersEndWithHandler() {
    ONLY_UNDERTOW_HANDLERS_END_WITH_HANDLER.check(MAIN);
  }

  @Test
  void useCaseServicesEndWithService() {
    USE_CASE_SERVICES_END_WITH_SERVICE.check(MAIN);
  }
}
