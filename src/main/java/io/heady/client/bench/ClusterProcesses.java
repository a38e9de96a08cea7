package io.heady.client.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting, signalling and stopping the processes of a {@link LocalCluster}, each by the {@link Process} (so the
 * PID) it started, never found by name; each writes its output to {@code <dir>/<name>.log}.
 */
final class ClusterProcesses {
  private final Path dir;
  private final Path jar;

  /** @param dir where the logs go; @param jar the heady jar the JVMs run */
  ClusterProcesses(Path dir, Path jar) {
    this.dir = dir;
    this.jar = jar;
  }

  /** {@code java <profile> <extra> -jar heady.jar <args>}, without the caller's {@code HEADY_*} environment. */
  Process java(String name, List<String> profile, List<String> extra, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(profile);
    cmd.addAll(extra);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    ProcessBuilder pb = logged(new ProcessBuilder(cmd), name)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
    return pb.start();
  }

  /** Any other command (redis-server), logged the same way. */
  Process command(String name, List<String> cmd) throws IOException {
    return logged(new ProcessBuilder(cmd), name).start();
  }

  private ProcessBuilder logged(ProcessBuilder pb, String name) {
    // why: append, so a restarted process's log follows the one it replaces
    return pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log")
        .toFile()));
  }

  /** Throws, with the last lines it printed, when the process has exited. */
  void alive(Process p, String name) {
    if (!p.isAlive()) {
      throw new IllegalStateException("the " + name + " exited with " + p.exitValue() + ": " + tail(name));
    }
  }

  /** The last lines a process printed (for an error message). */
  String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** SIGKILLs the process and waits (at most 10 s) for it to be gone; returns its PID. */
  static long kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    return p.pid();
  }

  /** {@code kill -SIG <pid>}: the JDK cannot stop or continue a process. */
  static void signal(long pid, String sig) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
    String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + sig + " " + pid + " failed: " + out);
    }
  }

  /** TERM, then KILL after {@code graceSec}. */
  static void stop(Process p, int graceSec) {
    try {
      p.destroy();
      if (!p.waitFor(graceSec, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Waits 100 ms, or throws when the deadline ({@link System#nanoTime()}) has passed. */
  static void pause(long deadline, String what) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("gave up waiting for " + what);
    }
    Thread.sleep(100);
  }
}
