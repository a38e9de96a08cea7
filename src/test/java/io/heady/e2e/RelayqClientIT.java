package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.tls.Fingerprint;
import io.heady.common.tls.PinnedTrustManager;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * relayq's users at home, against the real jar: {@code GET /api/cluster/workers} in relayq's shape, and the
 * Python client ({@code /install/heady.py}) run by the system's {@code python3} on src/test/python. The agent's
 * node is named "mac" (relayq's {@code run_on_mac}) and labelled {@code type=mac-mini}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayqClientIT {
  private static final String MAC = "py-mac";
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Path TESTS = Path.of("src/test/python");
  private Cluster cluster;
  private Path module;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent(MAC, "--transport=eventbus", "--name=mac", "--label=type=mac-mini", "--max-concurrent=1");
    cluster.awaitNode(MAC, "active", LIMIT);
    module = Files.createDirectories(HeadyProcess.tempDir("python-").resolve("lib"));
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.url()
        + "/install/heady.py")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), "GET /install/heady.py needs no token");
    Files.write(module.resolve("heady.py"), r.body());
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void workersHaveRelayqsShapeWithHeadysFieldsBeside() {
    JsonObject w = cluster.admin.get("/api/cluster/workers").json();
    assertEquals(Set.of("online", "total_workers", "total_active", "total_queued", "workers"), w.fieldNames(),
        "relayq's top-level keys, no more");
    assertEquals(Boolean.TRUE, w.getValue("online"));
    JsonObject mac = w.getJsonObject("workers").getJsonObject("mac");
    assertEquals("mac-mini", mac.getString("type"));
    assertEquals(Boolean.TRUE, mac.getValue("online"));
    for (String k : List.of("active_jobs", "queued_jobs", "total_jobs")) {
      assertInstanceOf(Number.class, mac.getValue(k), k);
    }
    assertEquals(MAC, mac.getString("node_id"));
    assertEquals("active", mac.getString("status"));
    assertEquals("cloud", w.getJsonObject("workers").getJsonObject("local").getString("type"));
  }

  @Test
  void aBusyWorkerCountsItsActiveAndItsPinnedQueuedJobs() {
    long before = cluster.admin.get("/api/cluster/workers").json().getJsonObject("workers").getJsonObject("mac")
        .getLong("total_jobs");
    String running = cluster.submit(new JsonObject().put("command", "sleep 60").put("node", "mac"));
    String waiting = cluster.submit(new JsonObject().put("command", "echo next").put("node", MAC));
    try {
      JsonObject mac = Poll.until("mac runs one task and has one queued", LIMIT, () -> {
        JsonObject w = cluster.admin.get("/api/cluster/workers").json().getJsonObject("workers").getJsonObject("mac");
        return w.getInteger("active_jobs") == 1 && w.getInteger("queued_jobs") == 1 ? w : null;
      });
      assertEquals(before + 1, mac.getLong("total_jobs"), "the running task counts, the queued one not yet");
      assertEquals(List.of(running), mac.getJsonArray("active_task_ids").getList());
      assertTrue(cluster.admin.get("/api/cluster/workers").json().getInteger("total_queued") >= 1);
    } finally {
      cluster.admin.post("/api/cluster/tasks/" + running + "/cancel", "{}");
      cluster.admin.post("/api/cluster/tasks/" + waiting + "/cancel", "{}");
    }
    Poll.until("mac is idle again", LIMIT, () -> cluster.admin.get("/api/cluster/workers").json()
        .getJsonObject("workers").getJsonObject("mac").getInteger("active_jobs") == 0);
  }

  @Test
  void thePythonClientWorksAsRelayqsDid() throws Exception {
    String python = python3();
    Map<String, String> env = new HashMap<>();
    env.put("HEADY_TOKEN", cluster.adminToken);
    env.put("HEADY_TEST_MAC_ID", MAC);
    env.put("HEADY_TEST_CLOSED_PORT", Integer.toString(HeadyProcess.freePort()));
    String out = unittest(python, "test_heady", env);
    assertTrue(out.contains("Ran 12 tests"), out);
  }

  @Test
  void thePythonClientPinsASelfSignedCertificate() throws Exception {
    String python = python3();
    Path data = HeadyProcess.tempDir("tls-python-");
    int port = HeadyProcess.freePort();
    try (HeadyProcess tls = HeadyProcess.start("tls-python", Map.of(), "--role=manager", "--port=" + port,
        "--data-dir=" + data, "--cluster-host=127.0.0.1", "--cluster-port=" + HeadyProcess.freePort(),
        "--cluster-name=" + cluster.name + "-tls", "--host=127.0.0.1", "--tls-self-signed")) {
      Path cert = data.resolve("tls").resolve("cert.pem");
      Poll.until("the TLS manager's certificate and token", LIMIT, () -> {
        if (!tls.alive()) {
          throw new AssertionError("the TLS manager exited:\n" + tls.output());
        }
        return Files.exists(cert) && Files.exists(data.resolve("admin.token"));
      });
      Map<String, String> env = new HashMap<>();
      env.put("HEADY_URL", "https://127.0.0.1:" + port);
      env.put("HEADY_TOKEN", Files.readString(data.resolve("admin.token")).trim());
      env.put("HEADY_TEST_FINGERPRINT", Fingerprint.format(Fingerprint.sha256(Fingerprint.readPem(cert))));
      SSLContext ctx = SSLContext.getInstance("TLS");
      byte[] fp = Fingerprint.parse(env.get("HEADY_TEST_FINGERPRINT"));
      ctx.init(null, new TrustManager[] {new PinnedTrustManager(fp)}, null);
      HttpClient pinned = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
      Poll.until("the TLS manager is ready", LIMIT, () -> {
        if (!tls.alive()) {
          throw new AssertionError("the TLS manager exited:\n" + tls.output());
        }
        try {
          return pinned.send(HttpRequest.newBuilder(URI.create(env.get("HEADY_URL") + "/health/ready"))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
      String out = unittest(python, "test_heady_tls", env);
      assertTrue(out.contains("Ran 6 tests"), out);
    }
  }

  /** Runs one of src/test/python's unittest modules with heady.py (as the manager served it) on the path. */
  private String unittest(String python, String testModule, Map<String, String> env)
      throws IOException, InterruptedException {
    Path home = HeadyProcess.tempDir("python-home-");
    List<String> cmd = new ArrayList<>(List.of(python, "-m", "unittest", "-v", testModule));
    File log = File.createTempFile("python-", ".log", Path.of("target").toFile());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(TESTS.toFile()).redirectErrorStream(true)
        .redirectOutput(log);
    // why: nothing of the user running the build may leak in: no HEADY_* and no ~/.config/heady/cli.json
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.startsWith("PYTHON"));
    pb.environment().remove("XDG_CONFIG_HOME");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("PYTHONPATH", module.toAbsolutePath().toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    Files.deleteIfExists(log.toPath());
    assertTrue(done, "python3 -m unittest " + testModule + " did not finish within 5 minutes:\n" + out);
    assertEquals(0, p.exitValue(), "python3 -m unittest " + testModule + " failed:\n" + out);
    return out;
  }

  /** The system's python3, 3.9 or newer; the test is skipped, saying why, when there is none. */
  private static String python3() throws IOException, InterruptedException {
    String found = null;
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, "python3");
      if (Files.isExecutable(p)) {
        found = p.toString();
        break;
      }
    }
    Assumptions.assumeTrue(found != null, "python3 is not installed, so the Python client's tests are skipped "
        + "(apt-get install -y python3)");
    Process v = new ProcessBuilder(found, "-c", "import sys; print(sys.version_info >= (3, 9))")
        .redirectErrorStream(true).start();
    String answer = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    v.waitFor(30, TimeUnit.SECONDS);
    Assumptions.assumeTrue("True".equals(answer), found + " is older than 3.9 (" + answer + "), which heady.py "
        + "needs, so the Python client's tests are skipped");
    return found;
  }
}
