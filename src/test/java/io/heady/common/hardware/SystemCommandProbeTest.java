package io.heady.common.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemCommandProbeTest {
  private final CommandProbe commands = CommandProbe.system();

  @BeforeEach
  void needsAPosixShell() {
    assumeTrue(new File("/bin/sh").canExecute(), "uses /bin/sh");
  }

  @Test
  void returnsStdoutOfACommandThatSucceeds() {
    assertEquals(Optional.of("hello\n"),
        commands.run(List.of("/bin/sh", "-c", "echo hello; echo noise >&2"), Duration.ofSeconds(5)));
  }

  @Test
  void failureOrAMissingProgramIsEmpty() {
    assertEquals(Optional.empty(), commands.run(List.of("/bin/sh", "-c", "echo partial; exit 3"),
        Duration.ofSeconds(5)));
    assertEquals(Optional.empty(), commands.run(List.of("heady-no-such-program-x9"), Duration.ofSeconds(5)));
    assertEquals(Optional.empty(), commands.run(List.of(), Duration.ofSeconds(5)));
  }

  @Test
  void aCommandThatOverrunsIsKilledAtItsTimeout() throws Exception {
    long start = System.nanoTime();
    // the child (sleep) holds stdout open too: it must be killed with its parent
    Optional<String> out = commands.run(List.of("/bin/sh", "-c", "echo started; sleep 30; echo late"),
        Duration.ofMillis(300));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Optional.empty(), out);
    assertTrue(ms < 3_000, "took " + ms + " ms");
  }

  @Test
  void findsExecutablesOnThePath(@TempDir Path dir) throws Exception {
    Path tool = Files.writeString(dir.resolve("mytool"), "#!/bin/sh\n");
    Path plain = Files.writeString(dir.resolve("notexec"), "data");
    assumeTrue(tool.toFile().setExecutable(true));
    CommandProbe probe = new SystemCommandProbe("/nonexistent" + File.pathSeparator + dir, List.of(""));
    assertTrue(probe.onPath("mytool"));
    assertFalse(probe.onPath("notexec"), plain + " is not executable");
    assertFalse(probe.onPath("missing"));
    assertFalse(probe.onPath(""));
    assertFalse(new SystemCommandProbe(null, List.of("")).onPath("mytool"));
    assertTrue(commands.onPath("sh"));
  }
}
