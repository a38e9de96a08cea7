package io.heady.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A command run as a separate process whose stdout and stderr lines are recorded with the moment each one
 * reached this test (arrival, not printing), so a test can tell live output from output printed at the end.
 */
final class TimedLines {
  /** One line as it arrived. */
  record Line(String text, Instant at) {}

  final List<Line> out = new CopyOnWriteArrayList<>();
  final List<Line> err = new CopyOnWriteArrayList<>();
  private final Process process;
  private final Thread outReader;
  private final Thread errReader;

  TimedLines(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
        new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("XDG_CONFIG_HOME"));
    process = pb.start();
    outReader = reader(process.getInputStream(), out);
    errReader = reader(process.getErrorStream(), err);
  }

  private static Thread reader(InputStream in, List<Line> into) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          into.add(new Line(l, Instant.now()));
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "timed-lines");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for the process (and its output) to end; its exit code. Kills it after {@code seconds}. */
  int await(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the command did not finish in " + seconds + " s; so far: " + this);
    }
    outReader.join(10_000);
    errReader.join(10_000);
    return process.exitValue();
  }

  /** When {@code text} arrived on the given lines; fails when it never did. */
  static Instant arrival(List<Line> lines, String text) {
    return lines.stream().filter(l -> l.text().equals(text)).map(Line::at).findFirst()
        .orElseThrow(() -> new AssertionError("no line '" + text + "' in " + lines));
  }

  @Override
  public String toString() {
    return "stdout " + out + "\nstderr " + err;
  }
}
