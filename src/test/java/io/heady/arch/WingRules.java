package io.heady.arch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which wing of heady may name which (STYLE.md 1, DESIGN.md §1): the manager and the agent never name each
 * other, the client (SDK, CLI, bench, chaos) names neither, and {@code common} names no wing at all, so each
 * wing can be read, changed and shipped without the others. Only the root package ({@code io.heady}: the role
 * switch) names every wing.
 *
 * <p>Reads the sources as text: every {@code io.heady.<package>} named in code (an import, a qualified name,
 * a string handed to reflection) counts; what comments say does not (the package docs name the wings they
 * keep away from). A file in a package of {@code io.heady} that has no rule here is reported too, so a new
 * wing is given its rule when it is made.
 */
final class WingRules {
  /** What each wing may name besides itself. */
  static final Map<String, Set<String>> ALLOWED = Map.of(
      "manager", Set.of("common"),
      "agent", Set.of("common"),
      "client", Set.of("common"),
      "common", Set.of());

  private static final Pattern NAMED = Pattern.compile("\\bio\\s*\\.\\s*heady\\s*\\.\\s*(\\w+)(?:\\s*\\.\\s*[\\w*]+)*");

  /** One place where a wing names what it must not. */
  record Crossing(Path file, int line, String wing, String named) {
    @Override
    public String toString() {
      return named == null
          ? file + ": io.heady." + wing + " is not a wing WingRules knows; give it a rule in ALLOWED"
          : file + ":" + line + ": " + wing + " names " + named + " (" + wing + " may name only "
              + String.join(", ", ALLOWED.get(wing)) + (ALLOWED.get(wing).isEmpty() ? "itself" : " and itself")
              + ")";
    }
  }

  private WingRules() {}

  /**
   * Every crossing in the sources under {@code javaRoot} (a {@code src/main/java}), in file and line order.
   *
   * @throws IllegalArgumentException when {@code javaRoot} holds no {@code io/heady} folder
   */
  static List<Crossing> scan(Path javaRoot) throws IOException {
    Path heady = javaRoot.resolve("io").resolve("heady");
    if (!Files.isDirectory(heady)) {
      throw new IllegalArgumentException("no io/heady under " + javaRoot.toAbsolutePath()
          + " (run from the project root)");
    }
    List<Crossing> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(heady)) {
      files = all.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      Path rel = heady.relativize(file);
      if (rel.getNameCount() < 2) {
        continue; // the root package: it switches roles, so it names every wing
      }
      String wing = rel.getName(0).toString();
      if (!ALLOWED.containsKey(wing)) {
        out.add(new Crossing(file, 0, wing, null));
        continue;
      }
      out.addAll(crossings(file, wing, Files.readString(file)));
    }
    return out;
  }

  /** The crossings in one source file of {@code wing}. */
  static List<Crossing> crossings(Path file, String wing, String source) {
    List<Crossing> out = new ArrayList<>();
    String[] lines = JavaText.withoutComments(source).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = NAMED.matcher(lines[i]);
      while (m.find()) {
        String target = m.group(1);
        if (!target.equals(wing) && !ALLOWED.get(wing).contains(target)) {
          out.add(new Crossing(file, i + 1, wing, m.group().replaceAll("\\s", "")));
        }
      }
    }
    return out;
  }

  /** How many source files each wing has under {@code javaRoot} (to tell an empty scan from a clean one). */
  static long files(Path javaRoot, String wing) throws IOException {
    try (Stream<Path> all = Files.walk(javaRoot.resolve("io").resolve("heady").resolve(wing))) {
      return all.filter(p -> p.toString().endsWith(".java")).count();
    }
  }
}
