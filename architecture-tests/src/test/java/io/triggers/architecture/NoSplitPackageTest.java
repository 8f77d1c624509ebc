package io.triggers.architecture;

import static io.triggers.architecture.TriggersClasses.MAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Source;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No package is split across modules: all main classes of a package come from one module's output,
 * so each module could be a module of the Java module system and a reader finds a package in one
 * place.
 */
final class NoSplitPackageTest {

  @Test
  void everyPackageComesFromOneModule() {
    List<Located> classes =
        MAIN.stream().map(NoSplitPackageTest::located).collect(Collectors.toList());

    assertThat(classes).as("main classes with a known origin").isNotEmpty();
    assertThat(splitPackages(classes)).as("packages found in several modules").isEmpty();
  }

  @Test
  void flagsPackageWhoseClassesComeFromTwoModules() {
    List<Located> classes =
        List.of(
            new Located("io.triggers.core.model", "file:/p/core/target/classes/"),
            new Located("io.triggers.core.model", "file:/p/bootstrap/target/classes/"),
            new Located("io.triggers.bootstrap", "file:/p/bootstrap/target/classes/"));

    assertThat(splitPackages(classes))
        .containsOnlyKeys("io.triggers.core.model")
        .containsEntry(
            "io.triggers.core.model",
            Set.of("file:/p/bootstrap/target/classes/", "file:/p/core/target/classes/"));
  }

  @Test
  void locatesAClassByTheDirectoryOrJarItCameFrom() {
    Located located = located(MAIN.get("io.triggers.core.model.EventId"));

    assertThat(located.packageName()).isEqualTo("io.triggers.core.model");
    assertThat(located.origin()).isNotBlank().doesNotContain("io/triggers/core/model");
  }

  /** A class's package and the class directory or jar it was loaded from. */
  record Located(String packageName, String origin) {}

  /** The packages whose classes come from more than one origin, with those origins. */
  static SortedMap<String, Set<String>> splitPackages(List<Located> classes) {
    Map<String, Set<String>> origins =
        classes.stream()
            .collect(
                Collectors.groupingBy(
                    Located::packageName,
                    TreeMap::new,
                    Collectors.mapping(Located::origin, Collectors.toCollection(TreeSet::new))));
    SortedMap<String, Set<String>> split = new TreeMap<>();
    origins.forEach(
        (packageName, from) -> {
          if (from.size() > 1) {
            split.put(packageName, from);
          }
        });
    return split;
  }

  /** The class's package, and its class file's location without the path of the class itself. */
  private static Located located(JavaClass javaClass) {
    String location =
        javaClass
            .getSource()
            .map(Source::getUri)
            .map(Object::toString)
            .orElseThrow(() -> new AssertionError("no class file for " + javaClass.getName()));
    String classFile = javaClass.getName().replace('.', '/') + ".class";
    assertThat(location).as("where %s was loaded from", javaClass.getName()).endsWith(classFile);
    return new Located(
        javaClass.getPackageName(), location.substring(0, location.length() - classFile.length()));
  }
}
