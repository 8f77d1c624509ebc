package io.triggers.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public type, method and constructor of core, and of each adapter's public entry points, has
 * a javadoc comment: embedders read the API from its javadoc. A missing {@code @param} or
 * {@code @return} is allowed where the sentence already says it; the javadoc build itself fails on
 * broken HTML and references.
 */
final class PublicApiDocumentationTest {

  /** Source folders documented whole, from the project root. */
  static final List<String> DOCUMENTED_WHOLE = List.of("core/src/main/java");

  /** The classes an embedder starts an adapter with, from the project root. */
  static final List<String> ENTRY_POINTS =
      List.of(
          "adapters-postgres/src/main/java/io/triggers/adapters/postgres/PostgresDatabase.java",
          "adapters-postgres/src/main/java/io/triggers/adapters/postgres/PostgresSettings.java",
          "adapters-postgres/src/main/java/io/triggers/adapters/postgres/PostgresSchema.java",
          "adapters-redis/src/main/java/io/triggers/adapters/redis/RedisConnection.java",
          "adapters-http/src/main/java/io/triggers/adapters/http/webhook/HttpWebhookSender.java",
          "adapters-metrics/src/main/java/io/triggers/adapters/metrics/MicrometerDeliveryMetrics.java");

  @Test
  void everyPublicElementOfCoreAndOfTheAdaptersEntryPointsHasAComment(@TempDir Path output)
      throws IOException {
    Path root = SourceSizeTest.projectRoot();
    List<Path> files = new ArrayList<>();
    for (String folder : DOCUMENTED_WHOLE) {
      try (Stream<Path> walk = Files.walk(root.resolve(folder))) {
        walk.filter(file -> file.toString().endsWith(".java")).forEach(files::add);
      }
    }
    ENTRY_POINTS.forEach(file -> files.add(root.resolve(file)));

    List<String> undocumented = undocumented(root, files, output);

    assertThat(undocumented).as("public elements without a javadoc comment").isEmpty();
  }

  /** What the javadoc tool's doclint reports as lacking a comment at all. */
  private static List<String> undocumented(Path root, List<Path> files, Path output)
      throws IOException {
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fileManager =
        javadoc.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options =
          List.of(
              "-Xdoclint:missing",
              "-Xmaxwarns",
              "10000",
              "-quiet",
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              output.toString());
      javadoc
          .getTask(
              new StringWriter(),
              fileManager,
              diagnostics,
              null,
              options,
              fileManager.getJavaFileObjectsFromPaths(files))
          .call();
    }
    List<String> found = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
      String message = diagnostic.getMessage(Locale.ROOT);
      if (message.contains("no comment") || message.contains("default constructor")) {
        String file =
            diagnostic.getSource() == null
                ? "?"
                : root.relativize(Path.of(diagnostic.getSource().toUri())).toString();
        found.add(file + ":" + diagnostic.getLineNumber() + ": " + message);
      }
    }
    return found;
  }
}
