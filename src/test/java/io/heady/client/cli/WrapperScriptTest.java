package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/heady}: POSIX sh that passes shellcheck and says in one line what it cannot find. */
class WrapperScriptTest {
  private static final Path SCRIPT = Path.of("bin/heady").toAbsolutePath();

  record Result(int rc, String out, String err) {}

  private static Result sh(Map<String, String> env, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(args);
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("JAVA_HOME"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not finish");
    return new Result(p.exitValue(), out, err);
  }

  @Test
  void isExecutablePosixShell() throws IOException {
    assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " must be executable");
    assertEquals("#!/bin/sh", Files.readAllLines(SCRIPT).get(0));
  }

  @Test
  void passesShellcheck() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck is not installed");
    Result r = sh(Map.of(), "/usr/bin/shellcheck", "-s", "sh", SCRIPT.toString());
    assertEquals(0, r.rc, r.out + r.err);
  }

  @Test
  void aMissingJarIsOneLine() throws Exception {
    Result r = sh(Map.of("HEADY_JAR", "/nonexistent/heady.jar"), "/bin/sh", SCRIPT.toString(), "nodes");
    assertEquals(1, r.rc);
    assertEquals(List.of("heady: HEADY_JAR is set to /nonexistent/heady.jar, which is not a file"),
        r.err.lines().toList());
  }

  @Test
  void noJava17IsOneLine(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("heady.jar"), "not really a jar");
    Path oldJava = dir.resolve("java");
    Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
    assumeTrue(oldJava.toFile().setExecutable(true));
    // PATH holds only the old java (and the tools the script needs)
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("sed", "head", "dirname", "readlink")) {
      for (String d : List.of("/usr/bin", "/bin")) {
        if (Files.isExecutable(Path.of(d, tool)) && !Files.exists(bin.resolve(tool))) {
          Files.createSymbolicLink(bin.resolve(tool), Path.of(d, tool));
        }
      }
    }
    Files.createSymbolicLink(bin.resolve("java"), oldJava);
    Result r = sh(Map.of("HEADY_JAR", jar.toString(), "PATH", bin.toString()), "/bin/sh", SCRIPT.toString(), "nodes");
    assertEquals(1, r.rc, r.err);
    assertEquals(1, r.err.lines().count(), r.err);
    assertTrue(r.err.startsWith("heady: Java 17 or newer is needed"), r.err);
  }
}
