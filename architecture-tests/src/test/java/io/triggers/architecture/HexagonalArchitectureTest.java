package io.triggers.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.triggers.architecture.TriggersClasses.MAIN;
import static io.triggers.architecture.TriggersClasses.ROOT;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inwards: adapters and bootstrap depend on core, core on the JDK alone.
 *
 * <p>Each rule is built by a factory taking the root package, so that the same rule can be shown to
 * fire on the deliberately bad classes in {@code io.triggers.architecture.violations}.
 */
final class HexagonalArchitectureTest {

  static final ArchRule CORE_DEPENDS_ONLY_ON_THE_JDK = coreDependsOnlyOnTheJdk(ROOT);
  static final ArchRule MODEL_DEPENDS_ON_NOTHING_ELSE_IN_CORE =
      modelDependsOnNothingElseInCore(ROOT);
  static final ArchRule PORTS_DO_NOT_DEPEND_ON_THEIR_IMPLEMENTATIONS =
      portsDoNotDependOnTheirImplementations(ROOT);
  static final ArchRule SERVICES_DO_NOT_DEPEND_ON_IN_MEMORY_ADAPTERS_OR_THE_PIPELINE =
      servicesDoNotDependOnInMemoryAdaptersOrThePipeline(ROOT);
  static final ArchRule IN_MEMORY_ADAPTERS_USE_ONLY_THE_MODEL_AND_DRIVEN_PORTS =
      inMemoryAdaptersUseOnlyTheModelAndDrivenPorts(ROOT);
  static final ArchRule ADAPTERS_USE_ONLY_THE_PORTS_AND_MODEL_OF_CORE =
      adaptersUseOnlyThePortsAndModelOfCore(ROOT);
  static final ArchRule ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER = adaptersDoNotDependOnEachOther(ROOT);
  static final ArchRule BOOTSTRAP_IS_A_LEAF = bootstrapIsALeaf(ROOT);
  static final ArchRule MODULES_ARE_FREE_OF_CYCLES = modulesAreFreeOfCycles(ROOT);
  static final ArchRule CORE_PACKAGES_ARE_FREE_OF_CYCLES = corePackagesAreFreeOfCycles(ROOT);
  static final ArchRule BOOTSTRAP_IMPLEMENTS_NO_PORT = bootstrapImplementsNoPort(ROOT);
  static final ArchRule POSTGRES_ADAPTER_WORKS_WITHOUT_THE_EMBEDDED_SERVER =
      postgresAdapterWorksWithoutTheEmbeddedServer(ROOT);

  static ArchRule coreDependsOnlyOnTheJdk(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", root + ".core..")
        .because("core is embedded in other people's services and must bring no library along");
  }

  static ArchRule modelDependsOnNothingElseInCore(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.model..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", root + ".core.model..")
        .because("the model is the vocabulary every port speaks, so it cannot know the ports");
  }

  static ArchRule portsDoNotDependOnTheirImplementations(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".core.port..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            root + ".core.service..",
            root + ".core.memory..",
            root + ".core.policy..",
            root + ".core.delivery..")
        .because(
            "a port is a contract, and whoever implements it or uses it must be replaceable; the"
                + " rules the use cases apply are theirs, not the contract's");
  }

  static ArchRule servicesDoNotDependOnInMemoryAdaptersOrThePipeline(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".core.service..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(root + ".core.memory..", root + ".core.delivery..")
        .because(
            "services are handed their driven ports, so the same service runs on memory,"
                + " PostgreSQL or Redis; and a use case runs on its caller's thread, the delivery"
                + " pipeline calling it, never the other way round");
  }

  static ArchRule inMemoryAdaptersUseOnlyTheModelAndDrivenPorts(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.memory..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", root + ".core.model..", root + ".core.port.out..", root + ".core.memory..")
        .because(
            "the in-memory implementations are driven adapters like the PostgreSQL and Redis ones,"
                + " that merely live in core")
        .allowEmptyShould(true);
  }

  static ArchRule adaptersUseOnlyThePortsAndModelOfCore(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".adapters..")
        .should()
        .dependOnClassesThat(
            resideInAPackage(root + "..")
                .and(
                    not(
                        resideInAnyPackage(
                            root + ".core.model..", root + ".core.port..", root + ".adapters..")))
                .as("belong to Triggers outside core's model, core's ports and the adapters"))
        .because(
            "an adapter plugs into a port; services, policies, the delivery pipeline and in-memory"
                + " implementations are wired by bootstrap, never reached for by an adapter")
        .allowEmptyShould(true);
  }

  static ArchRule adaptersDoNotDependOnEachOther(String root) {
    return slices()
        .matching(root + ".adapters.(*)..")
        .namingSlices("adapter $1")
        .should()
        .notDependOnEachOther()
        .because("any adapter can be left out of a deployment, so none may need another")
        .allowEmptyShould(true);
  }

  static ArchRule bootstrapIsALeaf(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + "..")
        .and()
        .resideOutsideOfPackage(root + ".bootstrap..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(root + ".bootstrap..")
        .because(
            "bootstrap wires the whole server; whatever needed it could not be used without it");
  }

  static ArchRule modulesAreFreeOfCycles(String root) {
    return slices()
        .matching(root + ".(*)..")
        .namingSlices("module $1")
        .should()
        .beFreeOfCycles()
        .because("modules are built in order, each from the ones before it");
  }

  static ArchRule corePackagesAreFreeOfCycles(String root) {
    return slices()
        .matching(root + ".core.(**)")
        .namingSlices("core.$1")
        .should()
        .beFreeOfCycles()
        .because(
            "core reads from the model outwards: model, then ports, then the policies, then the"
                + " use cases, the delivery pipeline and the in-memory adapters around them");
  }

  static ArchRule bootstrapImplementsNoPort(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".bootstrap..")
        .should(implementNoInterfaceIn(root + ".core.port.."))
        .because(
            "bootstrap only configures, wires and runs; behaviour behind a port, a fallback"
                + " included, lives in an adapter where its contract test runs it")
        .allowEmptyShould(true);
  }

  static ArchRule postgresAdapterWorksWithoutTheEmbeddedServer(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".adapters.postgres..")
        .and()
        .resideOutsideOfPackage(root + ".adapters.postgres.embedded..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(root + ".adapters.postgres.embedded..")
        .because(
            "the PostgreSQL adapter must work with any PostgreSQL; whether the server is embedded"
                + " is bootstrap's choice, and the zonky binaries stay in the embedded module")
        .allowEmptyShould(true);
  }

  private static ArchCondition<JavaClass> implementNoInterfaceIn(String packageIdentifier) {
    DescribedPredicate<JavaClass> inPackage = resideInAPackage(packageIdentifier);
    return new ArchCondition<>("implement no interface in '" + packageIdentifier + "'") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        javaClass.getAllRawInterfaces().stream()
            .filter(inPackage)
            .forEach(
                port ->
                    events.add(
                        SimpleConditionEvent.violated(
                            javaClass,
                            javaClass.getDescription() + " implements " + port.getName())));
      }
    };
  }

  @Test
  void coreDependsOnlyOnTheJdk() {
    CORE_DEPENDS_ONLY_ON_THE_JDK.check(MAIN);
  }

  @Test
  void modelDependsOnNothingElseInCore() {
    MODEL_DEPENDS_ON_NOTHING_ELSE_IN_CORE.check(MAIN);
  }

  @Test
  void portsDoNotDependOnTheirImplementations() {
    PORTS_DO_NOT_DEPEND_ON_THEIR_IMPLEMENTATIONS.check(MAIN);
  }

  @Test
  void servicesDoNotDependOnInMemoryAdaptersOrThePipeline() {
    SERVICES_DO_NOT_DEPEND_ON_IN_MEMORY_ADAPTERS_OR_THE_PIPELINE.check(MAIN);
  }

  @Test
  void inMemoryAdaptersUseOnlyTheModelAndDrivenPorts() {
    IN_MEMORY_ADAPTERS_USE_ONLY_THE_MODEL_AND_DRIVEN_PORTS.check(MAIN);
  }

  @Test
  void adaptersUseOnlyThePortsAndModelOfCore() {
    ADAPTERS_USE_ONLY_THE_PORTS_AND_MODEL_OF_CORE.check(MAIN);
  }

  @Test
  void adaptersDoNotDependOnEachOther() {
    ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER.check(MAIN);
  }

  @Test
  void bootstrapIsALeaf() {
    BOOTSTRAP_IS_A_LEAF.check(MAIN);
  }

  @Test
  void modulesAreFreeOfCycles() {
    MODULES_ARE_FREE_OF_CYCLES.check(MAIN);
  }

  @Test
  void corePackagesAreFreeOfCycles() {
    CORE_PACKAGES_ARE_FREE_OF_CYCLES.check(MAIN);
  }

  @Test
  void bootstrapImplementsNoPort() {
    BOOTSTRAP_IMPLEMENTS_NO_PORT.check(MAIN);
  }

  @Test
  void postgresAdapterWorksWithoutTheEmbeddedServer() {
    POSTGRES_ADAPTER_WORKS_WITHOUT_THE_EMBEDDED_SERVER.check(MAIN);
  }
}
