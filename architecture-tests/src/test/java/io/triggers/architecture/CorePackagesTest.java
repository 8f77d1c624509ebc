package io.triggers.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.triggers.architecture.TriggersClasses.MAIN;
import static io.triggers.architecture.TriggersClasses.ROOT;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;
import java.util.Timer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Each package of core holds one kind of thing: use cases in {@code service}, the rules they apply
 * in {@code policy}, the background webhook pipeline in {@code delivery}.
 */
final class CorePackagesTest {

  static final ArchRule SERVICES_ARE_USE_CASES_NAMED_AFTER_THEIR_PORT =
      servicesAreUseCasesNamedAfterTheirPort(ROOT);
  static final ArchRule POLICIES_USE_ONLY_THE_MODEL_AND_DRIVEN_PORTS =
      policiesUseOnlyTheModelAndDrivenPorts(ROOT);
  static final ArchRule ONLY_THE_DELIVERY_PIPELINE_STARTS_THREADS_IN_CORE =
      onlyTheDeliveryPipelineStartsThreadsInCore(ROOT);
  static final ArchRule DELIVERY_CALLS_USE_CASES_THROUGH_THEIR_PORTS =
      deliveryCallsUseCasesThroughTheirPorts(ROOT);

  /** The thread-starting methods of {@link Thread}, and of its subclasses for {@code start}. */
  private static final Set<String> THREAD_STARTERS = Set.of("start", "ofPlatform", "ofVirtual");

  static ArchRule servicesAreUseCasesNamedAfterTheirPort(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.service..")
        .and()
        .areTopLevelClasses()
        .and()
        .doNotHaveSimpleName("package-info")
        .should(implementOneUseCaseAndBeNamedAfterIt(root + ".core.port.in.."))
        .because(
            "a reader finds the code of a use case from its name alone, IngestEventService for"
                + " IngestEvent; what several use cases share is a policy, a port or the model");
  }

  static ArchRule policiesUseOnlyTheModelAndDrivenPorts(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core.policy..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", root + ".core.model..", root + ".core.port.out..", root + ".core.policy..")
        .because(
            "a policy is a rule that any use case can apply and a test can check alone, so it"
                + " knows no use case, no delivery pipeline and no in-memory adapter");
  }

  static ArchRule onlyTheDeliveryPipelineStartsThreadsInCore(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".core..")
        .and()
        .resideOutsideOfPackage(root + ".core.delivery..")
        // The facade an embedder starts and stops runs retention on a schedule, as bootstrap does
        // for the server: a host without bootstrap would otherwise have to write that loop itself.
        .and()
        .resideOutsideOfPackage(root + ".core.embed..")
        .should()
        .dependOnClassesThat(
            assignableTo(ExecutorService.class)
                .or(belongToAnyOf(Executors.class, Timer.class))
                .as("are executors, Executors or Timer"))
        .orShould()
        .callMethodWhere(startsAThread())
        .orShould()
        .callConstructorWhere(createsAThread())
        .because(
            "core runs on its callers' threads, so an embedder controls its threads; only the"
                + " webhook dispatcher and the embedding facade's retention schedule, which"
                + " bootstrap or the embedder starts and stops, run threads of their own."
                + " The in-memory adapters need none: their waits (a blocking take) run on the"
                + " caller's thread");
  }

  static ArchRule deliveryCallsUseCasesThroughTheirPorts(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".core.delivery..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(root + ".core.service..", root + ".core.memory..")
        .because(
            "the pipeline makes each attempt through the DeliverWebhook use case and takes its"
                + " queue as a driven port, so any implementation of either can be run behind it");
  }

  private static DescribedPredicate<JavaMethodCall> startsAThread() {
    return DescribedPredicate.describe(
        "Thread.start, Thread.ofPlatform or Thread.ofVirtual",
        call ->
            call.getTargetOwner().isAssignableTo(Thread.class)
                && THREAD_STARTERS.contains(call.getName()));
  }

  private static DescribedPredicate<JavaConstructorCall> createsAThread() {
    return DescribedPredicate.describe(
        "new Thread", call -> call.getTargetOwner().isAssignableTo(Thread.class));
  }

  private static ArchCondition<JavaClass> implementOneUseCaseAndBeNamedAfterIt(
      String useCasePackage) {
    DescribedPredicate<JavaClass> inPackage = resideInAPackage(useCasePackage);
    return new ArchCondition<>("implement exactly one use case and be named <UseCase>Service") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        List<String> useCases =
            javaClass.getRawInterfaces().stream()
                .filter(inPackage)
                .map(JavaClass::getSimpleName)
                .sorted()
                .toList();
        boolean satisfied =
            useCases.size() == 1
                && javaClass.getSimpleName().equals(useCases.getFirst() + "Service");
        String expected =
            useCases.size() == 1
                ? " is named " + useCases.getFirst() + "Service"
                : " implements exactly one use case of " + useCasePackage;
        events.add(
            new SimpleConditionEvent(
                javaClass,
                satisfied,
                javaClass.getDescription()
                    + " implements use cases "
                    + useCases
                    + (satisfied ? " and" : " but not so that it")
                    + expected));
      }
    };
  }

  @Test
  void servicesAreUseCasesNamedAfterTheirPort() {
    SERVICES_ARE_USE_CASES_NAMED_AFTER_THEIR_PORT.check(MAIN);
  }

  @Test
  void policiesUseOnlyTheModelAndDrivenPorts() {
    POLICIES_USE_ONLY_THE_MODEL_AND_DRIVEN_PORTS.check(MAIN);
  }

  @Test
  void onlyTheDeliveryPipelineStartsThreadsInCore() {
    ONLY_THE_DELIVERY_PIPELINE_STARTS_THREADS_IN_CORE.check(MAIN);
  }

  @Test
  void deliveryCallsUseCasesThroughTheirPorts() {
    DELIVERY_CALLS_USE_CASES_THROUGH_THEIR_PORTS.check(MAIN);
  }
}
