package io.heady.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code heady} CLI ({@code java -jar heady.jar ...}) as a user runs it: a separate process, a clean home. */
final class HeadyCli {
  /** One run: exit code, stdout, stderr. */
  record Out(int rc, String out, String err) {
    @Override
    public String toString() {
      return "exit " + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path home;
  private final List<String> connection;

  /** A CLI for this cluster (its URL and admin token on every command line). */
  HeadyCli(Cluster cluster) throws IOException {
    this.home = HeadyProcess.tempDir("cli-home-");
    this.connection = List.of("--url", cluster.url(), "--token", cluster.adminToken);
  }

  /** {@code heady ARGS} against the cluster. */
  Out run(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(connection);
    return bare(all.toArray(String[]::new));
  }

  /** {@code heady ARGS} with nothing added (no URL, no token). */
  Out bare(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home, "-jar",
        HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    Path dir = HeadyProcess.tempDir("cli-run-");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(
            new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("XDG_CONFIG_HOME"));
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heady " + cmd + " did not finish in 90 s");
    }
    return new Out(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }
}
