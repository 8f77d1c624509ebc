package io.triggers.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every main source file of every module stays small enough to read at once, unless its class doc
 * says why it is longer.
 */
final class SourceSizeTest {

  /** The most lines a main source file may have without a stated reason. */
  static final int MOST_LINES = 300;

  /** The module whose main sources are contract tests. */
  private static final String TEST_CODE_MODULE = "core-testing";

  /**
   * The files allowed to be longer, by path from the project root, each with its reason: words that
   * the class doc of that file must contain, so that a reader of the class learns why it is long.
   */
  static final Map<String, String> LONGER_WITH_REASON =
      Map.of(
          "adapters-postgres/src/main/java/io/triggers/adapters/postgres/PostgresDatabase.java",
          "one accessor for each port it fills",
          "core/src/main/java/io/triggers/core/embed/Triggers.java",
          "one accessor for each use case",
          "core/src/main/java/io/triggers/core/memory/OrganizationEvents.java",
          "change together under one lock",
          "core/src/main/java/io/triggers/core/delivery/WebhookDispatcher.java",
          "share one lock, which is why they are one class");

  /** A top-level type declaration, at the start of a line: where the class doc ends. */
  private static final Pattern TOP_LEVEL_TYPE =
      Pattern.compile(
          "^(?:public |final |abstract |sealed |non-sealed |strictfp )*"
              + "(?:class|interface|record|enum|@interface) ",
          Pattern.MULTILINE);

  private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);

  @Test
  void everyMainSourceFileIsShortOrSaysWhyItIsNot() throws IOException {
    Path root = projectRoot();
    List<String> problems = new ArrayList<>();
    Set<String> longer = new TreeSet<>();

    for (Path file : mainSources(root)) {
      String path = root.relativize(file).toString().replace('\\', '/');
      String text = Files.readString(file);
      if (text.lines().count() > MOST_LINES) {
        longer.add(path);
      }
      problems.addAll(check(path, text, LONGER_WITH_REASON));
    }
    for (String listed : LONGER_WITH_REASON.keySet()) {
      if (!longer.contains(listed)) {
        problems.add(listed + " is listed as longer, but is gone or no longer over the limit");
      }
    }

    assertThat(problems).as("main source files over %d lines", MOST_LINES).isEmpty();
  }

  @Test
  void flagsFileOverTheLimitWithoutAReason() {
    String text = javaFile("/** A plain class. */", MOST_LINES + 1);

    assertThat(check("m/src/main/java/Big.java", text, Map.of()))
        .singleElement()
        .asString()
        .contains("m/src/main/java/Big.java", "301 lines");
  }

  @Test
  void passesFileAtTheLimit() {
    String text = javaFile("/** A plain class. */", MOST_LINES);

    assertThat(check("m/src/main/java/Big.java", text, Map.of())).isEmpty();
  }

  @Test
  void passesLongerFileWhoseClassDocStatesItsReason() {
    String text =
        javaFile(
            "/**\n * A long class.\n *\n * <p>Its states are one\n * machine, kept together.\n */",
            MOST_LINES + 50);

    assertThat(
            check(
                "m/src/main/java/Big.java",
                text,
                Map.of("m/src/main/java/Big.java", "its states are one machine, kept together")))
        .isEmpty();
  }

  @Test
  void flagsLongerFileWhoseClassDocDoesNotStateTheListedReason() {
    String text = javaFile("/** A long class. */", MOST_LINES + 50);

    assertThat(
            check(
                "m/src/main/java/Big.java",
                text,
                Map.of("m/src/main/java/Big.java", "its states are one machine")))
        .singleElement()
        .asString()
        .contains("class doc", "its states are one machine");
  }

  /**
   * What is wrong with one source file: nothing if it has at most {@link #MOST_LINES} lines, or if
   * it is allowed longer and its class doc contains the allowed reason.
   */
  static List<String> check(String path, String text, Map<String, String> allowed) {
    long lines = text.lines().count();
    if (lines <= MOST_LINES) {
      return List.of();
    }
    String reason = allowed.get(path);
    if (reason == null) {
      return List.of(
          path
              + " has "
              + lines
              + " lines; split it, or list it here with the reason its class"
              + " doc gives");
    }
    String doc = classDoc(text).map(SourceSizeTest::normalized).orElse("");
    if (!doc.contains(normalized(reason))) {
      return List.of(
          path
              + " has "
              + lines
              + " lines, and its class doc does not say why: \""
              + reason
              + "\"");
    }
    return List.of();
  }

  /** The last doc comment before the first top-level type declaration. */
  private static Optional<String> classDoc(String text) {
    Matcher type = TOP_LEVEL_TYPE.matcher(text);
    int end = type.find() ? type.start() : text.length();
    Matcher doc = JAVADOC.matcher(text).region(0, end);
    String last = null;
    while (doc.find()) {
      last = doc.group(1);
    }
    return Optional.ofNullable(last);
  }

  /** Doc text without its leading asterisks, in lower case, with single spaces. */
  private static String normalized(String text) {
    return text.replaceAll("(?m)^\\s*\\*", " ").replaceAll("\\s+", " ").trim().toLowerCase();
  }

  private static String javaFile(String doc, int lines) {
    StringBuilder text =
        new StringBuilder("package m;\n\n").append(doc).append("\nfinal class Big {\n");
    long written = text.toString().lines().count();
    for (long line = written; line < lines - 1; line++) {
      text.append("  // filler\n");
    }
    return text.append("}\n").toString();
  }

  /** The directory of the parent POM, above this module's directory where the tests run. */
  static Path projectRoot() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory.getParent() != null
        && Files.isRegularFile(directory.getParent().resolve("pom.xml"))) {
      directory = directory.getParent();
    }
    assertThat(directory.resolve("architecture-tests")).as("the project root").isDirectory();
    return directory;
  }

  /** Every {@code <module>/src/main/java/**}{@code /*.java} below the project root. */
  private static List<Path> mainSources(Path root) throws IOException {
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path main :
          modules
              // The contract tests are test code, shipped as main code so that an embedder can
              // run them; like every test source they may be as long as their cases need.
              .filter(module -> !module.getFileName().toString().equals(TEST_CODE_MODULE))
              .map(module -> module.resolve("src/main/java"))
              .toList()) {
        if (Files.isDirectory(main)) {
          try (Stream<Path> files = Files.walk(main)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
          }
        }
      }
    }
    assertThat(sources).as("main sources under %s", root).isNotEmpty();
    return sources;
  }
}
