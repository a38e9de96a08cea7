package io.heady.client.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bench/chaos-soak.sh} passes shellcheck and parses, uses only flags {@code heady chaos} has, and asks for
 * at least what the long run must cover (it is run by hand, not by this suite).
 */
class ChaosSoakScriptTest {
  static final Path SCRIPT = Path.of("bench", "chaos-soak.sh");

  static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
    assertEquals(0, p.exitValue(), cmd + ":\n" + out);
  }

  @Test
  void passesShellcheckAndBashParses() throws Exception {
    assertTrue(Files.isExecutable(SCRIPT), "bench/chaos-soak.sh must be executable");
    run(List.of("shellcheck", "--severity=style", SCRIPT.toString()));
    run(List.of("bash", "-n", SCRIPT.toString()));
  }

  @Test
  void usesOnlyChaosFlagsAndCoversTheLongRun() throws Exception {
    String script = Files.readString(SCRIPT).replaceAll("(?m)^#.*$", "");
    String command = Files.readString(Path.of("src/main/java/io/heady/client/chaos/ChaosCommand.java"));
    Matcher m = Pattern.compile("(?<=\\s)--[a-z][a-z-]+").matcher(script);
    int n = 0;
    while (m.find()) {
      if (m.group().equals("--json")) {
        continue; // the top command's
      }
      n++;
      assertTrue(command.contains("\"" + m.group() + "\""), "chaos-soak.sh uses " + m.group()
          + ", which heady chaos lacks");
    }
    assertTrue(n >= 10, "expected the whole schedule spelt out, found " + n + " flags");
    assertTrue(flag(script, "--tasks") >= 10_000, script);
    assertTrue(flag(script, "--agents") >= 3, script);
    assertTrue(flag(script, "--http-agents") >= 1, script);
    assertTrue(flag(script, "--agent-kills") >= 10, script);
    assertTrue(flag(script, "--pauses") >= 1, script);
    assertTrue(flag(script, "--redis-kill-sec") >= 10, script);
    assertTrue(flag(script, "--manager-kills") >= 1, script);
    assertTrue(script.contains("--store redis"), script);
  }

  private static int flag(String script, String name) {
    Matcher m = Pattern.compile(Pattern.quote(name) + " (\\d+)").matcher(script);
    assertTrue(m.find(), name + " missing");
    return Integer.parseInt(m.group(1));
  }
}
