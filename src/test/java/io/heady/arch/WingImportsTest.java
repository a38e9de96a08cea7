package io.heady.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The build fails when a wing names another it must not: the manager and the agent each other, the client
 * either of them, {@code common} any wing ({@link WingRules}). Was {@code ClientImportsTest}, which checked
 * the client alone.
 */
class WingImportsTest {
  private static final Path MAIN = Path.of("src/main/java");

  @Test
  void noWingNamesAnotherItMustNot() throws IOException {
    List<WingRules.Crossing> crossings = WingRules.scan(MAIN);
    assertEquals("", crossings.stream().map(Object::toString).collect(Collectors.joining("\n")),
        "wings must not cross (STYLE.md 1): manager and agent name only common, the client only common, common no"
            + " wing");
  }

  @Test
  void everyWingWasRead() throws IOException {
    for (String wing : WingRules.ALLOWED.keySet()) {
      long n = WingRules.files(MAIN, wing);
      assertTrue(n > 10, "expected the sources of io.heady." + wing + " under " + MAIN.toAbsolutePath() + ", found "
          + n + " files");
    }
  }
}
