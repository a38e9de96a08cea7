package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 9 end to end: a manager serves its own jar and installer; the installer, fetched with curl exactly as a
 * user would, lays out a node under a throwaway root; the agent started from that layout through
 * {@code launcher/heady agent} with the env file it wrote joins the cluster and runs a task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallIT {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Cluster cluster;
  private Process agent;
  private Path agentLog;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroy(); // SIGTERM, by PID
      if (!agent.waitFor(20, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
        agent.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theServedJarIsTheRunningJarAndMatchesItsChecksum() throws Exception {
    HttpResponse<byte[]> jar = get("/install/heady.jar");
    assertEquals(200, jar.statusCode(), "open route: no token needed");
    assertEquals("application/java-archive", jar.headers().firstValue("Content-Type").orElse(""));
    String hex = sha256(jar.body());
    HttpResponse<byte[]> sum = get("/install/heady.jar.sha256");
    assertEquals(200, sum.statusCode());
    assertEquals(hex + "  heady.jar\n", new String(sum.body(), StandardCharsets.UTF_8));
    assertEquals(hex, jar.headers().firstValue("X-Checksum-Sha256").orElse(""));
    assertEquals(sha256(Files.readAllBytes(HeadyProcess.jar())), hex, "the manager serves the jar it runs from");
  }

  @Test
  void anAgentInstalledFromTheManagerJoinsTheClusterAndRunsATask() throws Exception {
    Path root = HeadyProcess.tempDir("install-root-");
    int nodePort = HeadyProcess.freePort();
    // Exactly the documented one-liner, plus the flags that keep it inside the throwaway root.
    Process install = new ProcessBuilder("sh", "-c", "curl -fsSL \"$1/install/agent.sh\" | sh -s -- --token \"$2\""
        + " --dry-run --root \"$3\" --no-start --node-id installed-1 --name 'Installed One' --label site=e2e"
        + " --port \"$4\"", "sh", cluster.url(), cluster.joinToken, root.toString(), Integer.toString(nodePort))
        .redirectErrorStream(true).start();
    String installOut = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(install.waitFor(120, TimeUnit.SECONDS), "installer finished");
    assertEquals(0, install.exitValue(), installOut);
    assertTrue(installOut.contains("(verified)"), "the installer checked the jar:\n" + installOut);
    assertArrayEquals(Files.readAllBytes(HeadyProcess.jar()), Files.readAllBytes(root.resolve("opt/heady/heady.jar")));

    // Start it as the unit does: the launcher, the role, and the env file as the environment.
    Map<String, String> env = readEnv(root.resolve("etc/heady/agent.env"));
    assertEquals("127.0.0.1", env.get("HEADY_CLUSTER_HOST"), "the source address of the route to the manager");
    env.put("HEADY_DATA_DIR", HeadyProcess.tempDir("install-agent-data-").toString());
    env.put("HEADY_CONF_DIR", root.resolve("etc/heady").toString());
    env.put("HEADY_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // why: a root agent refuses to start without its task user; this test checks the install, not that user
    env.putIfAbsent("HEADY_RUN_AS", System.getProperty("user.name"));
    Path launcher = root.resolve("opt/heady/launcher/heady");
    agentLog = Files.createDirectories(Path.of("target", "e2e-logs")).resolve("installed-agent-" + System.nanoTime()
        + ".log");
    ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "agent").redirectErrorStream(true)
        .redirectOutput(agentLog.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
    pb.environment().putAll(env);
    agent = pb.start();

    JsonObject node = Poll.until("installed-1 active", Duration.ofSeconds(60), () -> {
      if (!agent.isAlive()) {
        throw new AssertionError("the installed agent exited:\n" + log());
      }
      JsonObject n = cluster.node("installed-1");
      return n != null && "active".equals(n.getString("status")) ? n : null;
    });
    assertEquals("Installed One", node.getString("name"));
    assertEquals("e2e", node.getJsonObject("labels").getString("site"));
    assertEquals("eventbus", node.getString("transport"));

    // The launcher exec'd java (same PID) with the agent's options and the installed jar.
    List<String> cmdline = cmdline(agent.pid());
    assertTrue(cmdline.get(0).endsWith("/java"), cmdline.toString());
    assertTrue(cmdline.containsAll(List.of("-XX:+UseSerialGC", "-jar", root.resolve("opt/heady/heady.jar").toString(),
        "--role=agent")), cmdline.toString());

    String id = cluster.submit(new JsonObject().put("command", "echo installed").put("node", "installed-1"));
    JsonObject t = cluster.awaitFinished(id, Duration.ofSeconds(30));
    assertEquals("succeeded", t.getString("status"), () -> t.encodePrettily() + "\n" + log());
    assertEquals("installed-1", t.getString("node_id"));
    assertEquals("installed\n", t.getJsonObject("result").getString("stdout"));

    // SIGTERM while a task runs: the task finishes and is reported, then the agent deregisters and exits.
    String slow = cluster.submit(new JsonObject().put("command", "sleep 2; echo finished").put("node", "installed-1"));
    Poll.until("slow task running", Duration.ofSeconds(20), () ->
        "running".equals(cluster.admin.get("/api/cluster/tasks/" + slow).json().getString("status")));
    agent.destroy(); // SIGTERM, by PID
    assertTrue(agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the agent exits after its task");
    JsonObject s = cluster.admin.get("/api/cluster/tasks/" + slow).json();
    assertEquals("succeeded", s.getString("status"), () -> s.encodePrettily() + "\n" + log());
    assertEquals("finished\n", s.getJsonObject("result").getString("stdout"));
    assertEquals("offline", cluster.node("installed-1").getString("status"), "deregistered cleanly");
    assertTrue(log().contains("deregistered from the manager"), log());
    assertEquals(1, s.getJsonArray("attempts").size(), "finished where it ran, not requeued");
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(60)).GET()
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private String log() {
    try {
      return agentLog == null ? "" : Files.readString(agentLog);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static List<String> cmdline(long pid) throws IOException {
    String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
    return new ArrayList<>(List.of(raw.split("\0")));
  }

  private static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        String v = line.substring(eq + 1);
        m.put(line.substring(0, eq), v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v);
      }
    }
    return m;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
