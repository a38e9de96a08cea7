package io.heady.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every shell script in the project passes shellcheck; the POSIX ones are checked as POSIX sh. */
class ShellcheckTest {
  /** Scripts a new machine runs with plain sh (dash, busybox): no bashisms allowed. */
  static final List<String> POSIX = List.of("bin/install-agent.sh", "bin/install-manager.sh", "launcher/heady");

  @Test
  void everyShellScriptPassesShellcheck() throws IOException {
    String shellcheck = Shell.tool("shellcheck", "shellcheck");
    List<String> scripts = scripts();
    assertTrue(scripts.containsAll(POSIX), "found " + scripts);
    List<String> cmd = Shell.list(shellcheck, "--severity=style", "--external-sources");
    cmd.addAll(scripts);
    Shell.run(Duration.ofSeconds(120), Map.of(), cmd).ok();
  }

  @Test
  void installersAndLauncherArePosixSh() {
    String shellcheck = Shell.tool("shellcheck", "shellcheck");
    for (String s : POSIX) {
      Shell.run(Duration.ofSeconds(60), Map.of(), shellcheck, "--shell=sh", "--severity=style", s).ok();
      Shell.run(Duration.ofSeconds(20), Map.of(), "sh", "-n", s).ok();
    }
  }

  @Test
  void shellcheckCatchesAProblem(@TempDir Path dir) throws IOException {
    // why: a lint test that cannot fail proves nothing; this is the kind of line relayq's scripts had.
    String shellcheck = Shell.tool("shellcheck", "shellcheck");
    Path bad = dir.resolve("bad.sh");
    Files.writeString(bad, "#!/bin/sh\nrm -rf $DIR/*\n");
    Shell.Result r = Shell.run(Duration.ofSeconds(30), Map.of(), shellcheck, bad.toString());
    assertNotEquals(0, r.exit());
    assertTrue(r.output().contains("SC2086"), r.output());
  }

  /** Files under bin/, launcher/ and .ci/ that start with a sh or bash shebang. */
  static List<String> scripts() throws IOException {
    List<String> out = new ArrayList<>();
    for (String dir : List.of("bin", "launcher", ".ci")) {
      Path d = Shell.PROJECT.resolve(dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(d)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          String first = Files.readAllLines(f).stream().findFirst().orElse("");
          if (first.matches("#!\\s*(/usr)?/bin/(env\\s+)?(ba)?sh\\b.*")) {
            out.add(Shell.PROJECT.relativize(f).toString());
          }
        }
      }
    }
    assertFalse(out.isEmpty());
    assertEquals(out.stream().distinct().count(), out.size());
    return out;
  }
}
