package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bench/reproduce.sh} passes shellcheck and parses; every bench flag it uses exists. */
class ReproduceScriptTest {
  static final Path SCRIPT = Path.of("bench", "reproduce.sh");

  static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
    assertEquals(0, p.exitValue(), cmd + ":\n" + out);
    return out;
  }

  @Test
  void passesShellcheckAndBashParses() throws Exception {
    assertTrue(Files.isExecutable(SCRIPT), "bench/reproduce.sh must be executable");
    run(List.of("shellcheck", "--severity=style", "--external-sources", SCRIPT.toString()));
    run(List.of("bash", "-n", SCRIPT.toString()));
  }

  @Test
  void usesOnlyFlagsTheBenchHas() throws Exception {
    String script = Files.readString(SCRIPT);
    String help = Files.readString(Path.of("src/main/java/io/heady/client/bench/BenchCommand.java"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<=\\s)--[a-z][a-z-]+").matcher(
        script.replaceAll("(?m)^#.*$", ""));
    int n = 0;
    while (m.find()) {
      String flag = m.group();
      if (List.of("--json", "--url", "--token").contains(flag) || flag.equals("--quiet")) {
        continue;
      }
      n++;
      assertTrue(help.contains("\"" + flag + "\""), "reproduce.sh uses " + flag + ", which heady bench lacks");
    }
    assertTrue(n > 10, "expected many flags, found " + n);
  }
}
