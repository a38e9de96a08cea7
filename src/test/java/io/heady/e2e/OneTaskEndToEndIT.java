package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.node.Tier;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 2's path through the real architecture: a manager and an event-bus agent as separate processes on
 * loopback; a shell task runs on the agent, a deployment task on the manager's cloud executor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneTaskEndToEndIT {
  private Cluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent("e2e-agent", "--transport=eventbus");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void tokensAreGeneratedPrivate() throws Exception {
    for (String f : new String[] {"join.token", "admin.token"}) {
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(cluster.dataDir.resolve(f))), f + " must be mode 0600");
    }
    assertTrue(cluster.manager.output().contains(cluster.dataDir.resolve("admin.token").toString()),
        "the manager says where the tokens are");
  }

  @Test
  void agentRegistersWithItsHardware() throws Exception {
    JsonObject n = cluster.awaitNode("e2e-agent", "active", Duration.ofSeconds(60));
    JsonObject hw = n.getJsonObject("hardware");
    int cores = Integer.parseInt(HeadyProcess.nproc());
    assertEquals(cores, hw.getInteger("cpu_cores"), "cpu_cores must equal nproc");
    double memGb = memTotalGb();
    assertTrue(Math.abs(hw.getDouble("ram_gb") - memGb) < 1.0, "ram_gb " + hw.getDouble("ram_gb") + " vs " + memGb);
    assertEquals(Tier.classify(cores, hw.getDouble("ram_gb")).name(), n.getString("tier"));
    assertEquals(Tier.maxConcurrent(cores, hw.getDouble("ram_gb")), n.getInteger("max_concurrent"));
    assertEquals("physical", n.getString("location"));
    assertEquals("eventbus", n.getString("transport"));
  }

  @Test
  void shellTaskRunsOnTheAgent() {
    cluster.awaitNode("e2e-agent", "active", Duration.ofSeconds(60));
    String id = cluster.submit(new JsonObject().put("type", "shell").put("command", "echo hello"));
    assertNotNull(id);
    JsonObject t = cluster.awaitFinished(id, Duration.ofSeconds(20));
    assertEquals("succeeded", t.getString("status"), () -> t.encodePrettily());
    assertEquals(0, t.getInteger("exit_code"));
    assertEquals("hello\n", t.getJsonObject("result").getString("stdout"));
    assertEquals("e2e-agent", t.getString("node_id"));
    assertNotNull(t.getLong("duration_ms"));
    assertTrue(t.getLong("duration_ms") >= 0);
  }

  @Test
  void nonZeroExitIsAFailureWithItsCode() {
    cluster.awaitNode("e2e-agent", "active", Duration.ofSeconds(60));
    String id = cluster.submit(new JsonObject().put("type", "shell").put("command", "exit 3"));
    JsonObject t = cluster.awaitFinished(id, Duration.ofSeconds(20));
    assertEquals("failed", t.getString("status"));
    assertEquals(3, t.getInteger("exit_code"));
    assertEquals("e2e-agent", t.getString("node_id"));
  }

  @Test
  void deploymentRunsOnTheCloudExecutorNeverTheAgent() {
    cluster.awaitNode("e2e-agent", "active", Duration.ofSeconds(60));
    for (int i = 0; i < 3; i++) {
      String id = cluster.submit(new JsonObject().put("type", "deployment").put("command", "echo deployed"));
      JsonObject t = cluster.awaitFinished(id, Duration.ofSeconds(20));
      assertEquals("succeeded", t.getString("status"));
      assertEquals("local", t.getString("node_id"), "deployment is cloud_only");
      assertEquals("deployed\n", t.getJsonObject("result").getString("stdout"));
    }
  }

  @Test
  void malformedJsonIs400WithTheErrorShape() {
    Api.Res r = cluster.admin.post("/api/cluster/tasks/route", "{\"type\": \"shell\", ");
    assertEquals(400, r.status());
    JsonObject err = r.json().getJsonObject("error");
    assertEquals("BAD_JSON", err.getString("code"));
    assertNotNull(err.getString("message"));
    assertNotNull(err.getJsonObject("details"));
    Api.Res missing = cluster.admin.post("/api/cluster/tasks/route", new JsonObject().put("type", "shell"));
    assertEquals(400, missing.status());
    assertEquals("command", missing.json().getJsonObject("error").getJsonObject("details").getString("field"));
  }

  @Test
  void requestsWithoutTheRightTokenAre401() {
    Api anonymous = new Api(cluster.url(), null);
    assertEquals(401, anonymous.get("/api/cluster/nodes").status());
    assertEquals(401, anonymous.post("/api/cluster/tasks/route", "{\"command\":\"echo x\"}").status());
    Api wrong = new Api(cluster.url(), "not-the-token-at-all-123");
    Api.Res r = wrong.get("/api/cluster/state");
    assertEquals(401, r.status());
    assertEquals("UNAUTHORIZED", r.json().getJsonObject("error").getString("code"));
    assertEquals(401, anonymous.post("/api/cluster/nodes/register", "{}").status());
  }

  @Test
  void unknownRouteIs404WithTheErrorShape() {
    Api.Res r = cluster.admin.get("/api/cluster/nope");
    assertEquals(404, r.status());
    assertEquals("NOT_FOUND", r.json().getJsonObject("error").getString("code"));
  }

  private static double memTotalGb() throws Exception {
    for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return kb / 1024.0 / 1024.0;
      }
    }
    throw new IllegalStateException("no MemTotal");
  }
}
