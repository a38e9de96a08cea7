package io.heady.install;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command with a deadline and a clean HEADY_* environment; the one way these tests start scripts. */
final class Shell {
  /** The source tree (surefire and failsafe run in the project folder). */
  static final Path PROJECT = Path.of("").toAbsolutePath();

  record Result(int exit, String output, List<String> command) {
    Result ok() {
      if (exit != 0) {
        fail(String.join(" ", command) + " exited " + exit + ":\n" + output);
      }
      return this;
    }

    Result failed() {
      if (exit == 0) {
        fail(String.join(" ", command) + " should have failed:\n" + output);
      }
      return this;
    }
  }

  private Shell() {}

  static Result run(Duration limit, Map<String, String> env, String... command) {
    return run(limit, env, List.of(command));
  }

  static Result run(Duration limit, Map<String, String> env, List<String> command) {
    try {
      File out = File.createTempFile("heady-shell-", ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
            .redirectOutput(out).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
          fail(String.join(" ", command) + " did not finish within " + limit.toSeconds() + " s:\n"
              + Files.readString(out.toPath(), StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), command);
      } finally {
        Files.deleteIfExists(out.toPath());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Fails with a useful message when a tool the tests need is missing (CI installs it: .ci/run). */
  static String tool(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    fail(name + " is not installed: apt-get install -y " + debianPackage + " (.ci/run installs it)");
    return null;
  }

  static List<String> list(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
