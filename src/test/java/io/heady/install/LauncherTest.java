package io.heady.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** launcher/heady: finds Java 17+, picks per-role options sized to the machine, keeps the caller's words. */
class LauncherTest {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  static final String LAUNCHER = Shell.PROJECT.resolve("launcher/heady").toString();

  @TempDir
  Path dir;
  Path jar;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws IOException {
    jar = Files.writeString(dir.resolve("heady.jar"), "not really a jar");
    env = new HashMap<>(Map.of("HEADY_JAVA", JAVA, "HEADY_JAR", jar.toString(),
        "HEADY_MEMINFO", meminfo("big", 16L << 20).toString()));
  }

  private List<String> command(String... args) {
    List<String> cmd = Shell.list("sh", LAUNCHER, "--print-command");
    cmd.addAll(List.of(args));
    return Shell.run(Duration.ofSeconds(30), env, cmd).ok().output().lines().toList();
  }

  @Test
  void agentGetsItsOptionsThenTheJarThenTheCallersWords() throws IOException {
    List<String> c = command("agent", "--log-level=debug", "two words");
    assertEquals(JAVA, c.get(0));
    int jarAt = c.indexOf("-jar");
    assertEquals(options("agent.options"), c.subList(1, jarAt));
    assertEquals(List.of("-jar", jar.toString(), "--role=agent", "--log-level=debug", "two words"),
        c.subList(jarAt, c.size()));
  }

  @Test
  void managerGetsManagerOptions() throws IOException {
    List<String> c = command("manager", "--port=7070");
    assertEquals(options("manager.options"), c.subList(1, c.indexOf("-jar")));
    assertEquals(List.of("--role=manager", "--port=7070"), c.subList(c.size() - 2, c.size()));
  }

  @Test
  void aSmallMachineGetsTheSmallOptions() throws IOException {
    env.put("HEADY_MEMINFO", meminfo("pi", 3_884_000).toString()); // a 4 GB Raspberry Pi reports ~3.7 GiB
    List<String> c = command("agent");
    assertEquals(options("agent-small.options"), c.subList(1, c.indexOf("-jar")));
    assertTrue(c.contains("-Xmx96m") && c.contains("-XX:+UseSerialGC") && c.contains("-XX:TieredStopAtLevel=1")
        && c.contains("-Xss256k") && c.contains("-XX:MaxMetaspaceSize=96m"), c.toString());
  }

  @Test
  void headySmallOverridesTheMeasurement() throws IOException {
    env.put("HEADY_SMALL", "1");
    assertEquals(options("agent-small.options"), command("agent").subList(1, command("agent").indexOf("-jar")));
    env.put("HEADY_SMALL", "0");
    env.put("HEADY_MEMINFO", meminfo("pi", 900_000).toString());
    List<String> c = command("agent");
    assertEquals(options("agent.options"), c.subList(1, c.indexOf("-jar")));
  }

  @Test
  void extraJavaOptionsComeAfterTheFileSoTheyWin() {
    env.put("HEADY_JAVA_OPTS", "-Xmx1g -Dheady.test=1");
    List<String> c = command("agent");
    int jarAt = c.indexOf("-jar");
    assertEquals(List.of("-Xmx1g", "-Dheady.test=1"), c.subList(jarAt - 2, jarAt));
  }

  @Test
  void roleFromTheEnvironmentAndTheCommandLineOtherwise() {
    env.put("HEADY_ROLE", "agent");
    List<String> c = command("--port=7701");
    assertEquals(List.of("--role=agent", "--port=7701"), c.subList(c.size() - 2, c.size()));
    env.remove("HEADY_ROLE");
    List<String> cli = command("nodes", "--json");
    assertEquals(List.of("-jar", jar.toString(), "nodes", "--json"), cli.subList(cli.indexOf("-jar"), cli.size()));
    assertTrue(cli.contains("-Xmx64m"), "the command line gets cli.options");
  }

  @Test
  void aBadRoleIsOneLineAndExit2() {
    env.put("HEADY_ROLE", "boss");
    Shell.Result r = Shell.run(Duration.ofSeconds(30), env, "sh", LAUNCHER, "--port=1");
    assertEquals(2, r.exit());
    assertEquals(1, r.output().strip().lines().count(), r.output());
    assertTrue(r.output().contains("HEADY_ROLE"));
  }

  @Test
  void noSuitableJavaIsExit3WithHowToInstallOne() throws IOException {
    Path java8 = dir.resolve("java");
    Files.writeString(java8, "#!/bin/sh\necho 'openjdk version \"1.8.0_392\"' >&2\n");
    java8.toFile().setExecutable(true);
    env.put("HEADY_JAVA", java8.toString());
    Shell.Result r = Shell.run(Duration.ofSeconds(30), env, "sh", LAUNCHER, "agent");
    assertEquals(3, r.exit(), r.output());
    assertTrue(r.output().contains("openjdk-17-jre-headless"), r.output());
  }

  @Test
  void findsJava17OnItsOwn() {
    env.remove("HEADY_JAVA");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Shell.Result r = Shell.run(Duration.ofSeconds(30), env, "sh", LAUNCHER, "--check-java").ok();
    assertTrue(r.output().matches("(?s).*/java \\(Java (1[7-9]|[2-9][0-9])\\)\\s*"), r.output());
  }

  @Test
  void aMissingJarIsNamed() {
    env.put("HEADY_JAR", dir.resolve("nope.jar").toString());
    Shell.Result r = Shell.run(Duration.ofSeconds(30), env, "sh", LAUNCHER, "agent");
    assertEquals(1, r.exit());
    assertTrue(r.output().contains("nope.jar"), r.output());
  }

  @Test
  void reallyExecsJava() {
    // The real jar is not needed to see that exec works: java reports the bad jar itself.
    Shell.Result r = Shell.run(Duration.ofSeconds(60), env, "sh", LAUNCHER, "agent");
    assertTrue(r.exit() != 0 && r.output().contains("Invalid or corrupt jarfile"), r.output());
  }

  private Path meminfo(String name, long kb) throws IOException {
    return Files.writeString(dir.resolve(name + ".meminfo"), "MemTotal:       " + kb + " kB\nMemFree: 1 kB\n");
  }

  /** The words of an options file, as the launcher reads it. */
  static List<String> options(String file) throws IOException {
    return Files.readAllLines(Shell.PROJECT.resolve("launcher").resolve(file)).stream()
        .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
        .flatMap(l -> List.of(l.split("\\s+")).stream()).toList();
  }
}
