package io.triggers.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static io.triggers.architecture.TriggersClasses.MAIN;
import static io.triggers.architecture.TriggersClasses.ROOT;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collection;
import org.junit.jupiter.api.Test;

/** Objects are wired through their constructors, and core is wired without any annotation. */
final class DependencyInjectionTest {

  static final ArchRule NO_FIELD_IS_INJECTED = noFieldIsInjected(ROOT);
  static final ArchRule CORE_CARRIES_NO_INJECTION_ANNOTATIONS =
      coreCarriesNoInjectionAnnotations(ROOT);

  static ArchRule noFieldIsInjected(String root) {
    return noFields()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage(root + "..")
        .should()
        .beAnnotatedWith("jakarta.inject.Inject")
        .orShould()
        .beAnnotatedWith("javax.inject.Inject")
        .as(
            "no field in "
                + root
                + " is annotated with jakarta.inject.Inject or javax.inject.Inject")
        .because(
            "constructor injection keeps fields final and lets a test build any object by hand");
  }

  static ArchRule coreCarriesNoInjectionAnnotations(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".core..")
        .should(carryNoAnnotationFrom("jakarta.inject..", "javax.inject..", "dagger.."))
        .because(
            "embedders wire core by hand, and bootstrap binds core's classes in its own modules");
  }

  /** Checks the class itself, its fields, constructors and methods, and their parameters. */
  private static ArchCondition<JavaClass> carryNoAnnotationFrom(String... packageIdentifiers) {
    DescribedPredicate<JavaClass> forbidden = resideInAnyPackage(packageIdentifiers);
    String packages = String.join(", ", packageIdentifiers);
    return new ArchCondition<>("carry no annotation from " + packages) {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        report(javaClass.getDescription(), javaClass.getAnnotations(), javaClass, events);
        for (JavaMember member : javaClass.getMembers()) {
          report(member.getDescription(), member.getAnnotations(), javaClass, events);
          if (member instanceof JavaCodeUnit codeUnit) {
            for (JavaParameter parameter : codeUnit.getParameters()) {
              report(parameter.getDescription(), parameter.getAnnotations(), javaClass, events);
            }
          }
        }
      }

      private void report(
          String where,
          Collection<? extends JavaAnnotation<?>> annotations,
          JavaClass owner,
          ConditionEvents events) {
        for (JavaAnnotation<?> annotation : annotations) {
          if (forbidden.test(annotation.getRawType())) {
            events.add(
                SimpleConditionEvent.violated(
                    owner, where + " is annotated with @" + annotation.getRawType().getName()));
          }
        }
      }
    };
  }

  @Test
  void noFieldIsInjected() {
    NO_FIELD_IS_INJECTED.check(MAIN);
  }

  @Test
  void coreCarriesNoInjectionAnnotations() {
    CORE_CARRIES_NO_INJECTION_ANNOTATIONS.check(MAIN);
  }
}
