package io.heady.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real jar started as a separate process, stopped by its PID. */
public final class HeadyProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String name;

  private HeadyProcess(Process p, Path log, String name) {
    this.process = p;
    this.log = log;
    this.name = name;
  }

  public static Path jar() {
    String j = System.getProperty("heady.jar", "target/heady.jar");
    Path p = Path.of(j);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("build the jar first (mvn package): " + p.toAbsolutePath());
    }
    return p;
  }

  /** The JVM options of test processes unless a test gives its own. */
  public static final List<String> TEST_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  public static HeadyProcess start(String name, Map<String, String> env, String... args) throws IOException {
    return start(name, env, TEST_JVM, args);
  }

  /** With these JVM options (e.g. the launcher's, from {@code io.heady.client.bench.JvmProfile}). */
  public static HeadyProcess start(String name, Map<String, String> env, List<String> jvm, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    Path dir = Path.of("target", "e2e-logs");
    Files.createDirectories(dir);
    Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
    // why: run as root, a node refuses to start without its task user (heady-task) unless told whom tasks run
    // as; tests run their tasks as the test's own user unless they say otherwise (ContainmentIT does)
    pb.environment().put("HEADY_RUN_AS", System.getProperty("user.name"));
    pb.environment().putAll(env);
    return new HeadyProcess(pb.start(), log, name);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  public Path logFile() {
    return log;
  }

  /** SIGKILL, as a crash or an unplugged node. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP / SIGCONT by PID: a hung process. */
  public void signal(String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not exit within " + seconds + " s");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM, by PID
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path tempDir(String prefix) throws IOException {
    Path base = Path.of("target", "e2e-data");
    Files.createDirectories(base);
    return Files.createTempDirectory(base, prefix).toAbsolutePath();
  }

  static String nproc() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("nproc").start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out;
  }

  /** PIDs of live (not zombie) processes whose command line contains {@code marker}, from /proc. */
  public static java.util.List<Long> processesWith(String marker) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.matches("[0-9]+"));
    if (procs == null) {
      return out;
    }
    for (java.io.File p : procs) {
      try {
        String cmd = new String(Files.readAllBytes(p.toPath().resolve("cmdline"))).replace('\0', ' ');
        String stat = Files.readString(p.toPath().resolve("stat"));
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        if (cmd.contains(marker) && state != 'Z') {
          out.add(Long.parseLong(p.getName()));
        }
      } catch (IOException | RuntimeException gone) {
        // the process ended while we looked
      }
    }
    return out;
  }

  static File devNull() {
    return new File("/dev/null");
  }
}
