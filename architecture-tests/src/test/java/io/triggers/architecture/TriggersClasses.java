package io.triggers.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The main classes of every Triggers module, the benchmarks' included, imported once and shared by
 * all rules.
 */
final class TriggersClasses {

  /** The root package of the project; each module has its own package below it. */
  static final String ROOT = "io.triggers";

  /**
   * Main classes only: test classes (including the deliberate violations of this module) are
   * checked by their own tests, not by these rules.
   */
  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          // The benchmarks' jar brings the HTTP adapter's test-jar, which a packaged build resolves
          // as a jar rather than as a test-classes folder.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages(ROOT);

  private TriggersClasses() {}
}
