package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.security.FuzzRequests;
import io.heady.security.RawHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seeded fuzzing of the manager API and the node API with at least 10,000 hostile requests (see
 * {@link FuzzRequests}): no answer is a 5xx, both processes stay up, the tasks and nodes that existed before
 * are exactly as they were, and a normal task still runs afterwards.
 *
 * <p>Reproduce a run with {@code -Dheady.fuzz.seed=<the printed seed>}; change the amount with
 * {@code -Dheady.fuzz.requests=N}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityFuzzIT {
  private final long seed = Long.getLong("heady.fuzz.seed", new SecureRandom().nextLong());
  private final int requests = Integer.getInteger("heady.fuzz.requests", 12_000);
  private final String nowhere = "pre-nowhere-" + UUID.randomUUID().toString().substring(0, 8);
  private final int agentPort = HeadyProcess.freePort();
  private final List<String> preTasks = new ArrayList<>();
  private Cluster cluster;
  private HeadyProcess agent;

  @BeforeAll
  void start() throws Exception {
    System.out.println("[fuzz] seed " + seed + " (reproduce with -Dheady.fuzz.seed=" + seed + ")");
    // why: no local executor, so the fuzzer's own valid tasks have nowhere to run and cannot touch the
    // pre-existing node's counters; its commands are inert anyway. No CPU offload: this machine's load must
    // not decide whether the last task runs
    cluster = new Cluster().startManager("--local-executor=false", "--offload-cpu-pct=101");
    agent = cluster.startAgent("pre-agent", "--transport=http", "--port=" + agentPort, "--max-concurrent=4",
        "--label=site=home");
    cluster.awaitNode("pre-agent", "active", Duration.ofSeconds(40));

    String ok = cluster.submit(new JsonObject().put("id", "pre-ok").put("command", "echo fine")
        .put("node", "pre-agent"));
    String failed = cluster.submit(new JsonObject().put("id", "pre-failed").put("command", "exit 3")
        .put("node", "pre-agent"));
    cluster.awaitFinished(ok, Duration.ofSeconds(30));
    cluster.awaitFinished(failed, Duration.ofSeconds(30));
    String running = cluster.submit(new JsonObject().put("id", "pre-running").put("command", "sleep 600")
        .put("node", "pre-agent"));
    String queued = cluster.submit(new JsonObject().put("id", "pre-queued").put("command", "true")
        .put("node", nowhere).put("priority", "P1"));
    Api.Res dag = cluster.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", new JsonArray()
        .add(new JsonObject().put("id", "pre-dag-a").put("command", "true").put("node", nowhere))
        .add(new JsonObject().put("id", "pre-dag-b").put("command", "true").put("depends_on",
            new JsonArray().add("pre-dag-a")))));
    assertEquals(201, dag.status(), dag.raw());
    Poll.until("pre-running runs", Duration.ofSeconds(30), () -> "running".equals(
        cluster.admin.get("/api/cluster/tasks/" + running).json().getString("status")));
    preTasks.addAll(List.of(ok, failed, running, queued, "pre-dag-a", "pre-dag-b"));
    // no new work for the pre-existing node while the fuzzer runs; its running task goes on
    assertEquals(200, cluster.admin.post("/api/cluster/nodes/pre-agent/drain", new JsonObject().put("enabled", true))
        .status());
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** What must not change: the fields of each pre-existing task and node that only real work changes. */
  private JsonObject snapshot() {
    JsonObject s = new JsonObject();
    for (String id : preTasks) {
      JsonObject t = cluster.admin.get("/api/cluster/tasks/" + id).json();
      JsonObject r = t.getJsonObject("result");
      s.put(id, new JsonObject().put("status", t.getString("status")).put("node_id", t.getString("node_id"))
          .put("exit_code", t.getValue("exit_code")).put("priority", t.getString("priority"))
          .put("type", t.getString("type")).put("stdout", r == null ? null : r.getString("stdout"))
          .put("attempts", t.getValue("attempt")).put("spec", t.getJsonObject("spec")));
    }
    JsonArray nodes = cluster.admin.get("/api/cluster/nodes").json().getJsonArray("nodes");
    for (Object o : nodes) {
      JsonObject n = (JsonObject) o;
      if (!n.getString("node_id").startsWith(FuzzRequests.ID_MARK) && !n.getString("name", "").contains("fz")) {
        JsonObject keep = new JsonObject();
        for (String f : new String[] {"node_id", "name", "status", "tier", "drain", "labels", "capabilities",
            "max_concurrent", "tasks_completed", "tasks_failed", "reliability_score", "transport", "tunnel_url",
            "location", "hardware"}) {
          keep.put(f, n.getValue(f));
        }
        s.put("node:" + n.getString("node_id"), keep);
      }
    }
    return s;
  }

  @Test
  void hostileRequestsChangeNothingAndBreakNothing() throws Exception {
    JsonObject before = snapshot();
    FuzzRequests gen = new FuzzRequests(seed);
    Map<Integer, Integer> byStatus = new TreeMap<>();
    List<String> serverErrors = new ArrayList<>();
    List<String> noAnswer = new ArrayList<>();
    List<String> badShape = new ArrayList<>();
    String wrong = "hx_" + Long.toHexString(seed) + "-not-a-token";
    long t0 = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      FuzzRequests.Request q = gen.next();
      String token = switch (q.token()) {
        case NONE -> null;
        case WRONG -> wrong;
        case JOIN -> cluster.joinToken;
        case ADMIN -> cluster.adminToken;
      };
      int port = q.target() == FuzzRequests.Target.MANAGER ? cluster.port : agentPort;
      RawHttp.Res r;
      try {
        r = RawHttp.send("127.0.0.1", port, null, q.method(), q.path(), token, q.body(), 20_000);
      } catch (IOException e) {
        noAnswer.add("#" + i + " " + q.describe() + " → " + e);
        if (!cluster.manager.alive() || !agent.alive()) {
          break;
        }
        continue;
      }
      byStatus.merge(r.status(), 1, Integer::sum);
      if (r.status() >= 400 && !q.method().equals("HEAD") && r.status() != 414 && !errorShape(r.body())) {
        badShape.add("#" + i + " " + q.describe() + " → " + r.status() + " " + abbreviate(r.body()));
      }
      if (r.status() >= 500 || r.status() == 0) {
        serverErrors.add("#" + i + " " + q.describe() + " → " + r.status() + " " + abbreviate(r.body()));
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("[fuzz] seed %d: %d requests in %.1f s (%.0f/s); answers by status %s; %d without an answer%n",
        seed, requests, secs, requests / secs, byStatus, noAnswer.size());
    serverErrors.stream().limit(20).forEach(e -> System.out.println("[fuzz] 5xx " + e));
    noAnswer.stream().limit(20).forEach(e -> System.out.println("[fuzz] no answer " + e));
    badShape.stream().limit(20).forEach(e -> System.out.println("[fuzz] not the error shape " + e));

    assertTrue(cluster.manager.alive(), "the manager died:\n" + cluster.manager.output());
    assertTrue(agent.alive(), "the agent died:\n" + agent.output());
    assertTrue(requests >= 10_000 || Boolean.getBoolean("heady.fuzz.short"), "the fuzz test sends at least 10,000");
    assertEquals(List.of(), serverErrors.stream().limit(20).toList(), "5xx answers (seed " + seed + ")");
    assertEquals(List.of(), badShape.stream().limit(20).toList(), "errors not in the API's error shape");
    assertTrue(noAnswer.size() <= requests / 100, "too many requests without an answer: " + noAnswer.size());
    assertEquals(200, cluster.admin.get("/health/live").status());
    assertEquals(200, cluster.admin.get("/health/ready").status());

    JsonObject after = snapshot();
    // Nodes a fuzz request registered itself (a valid join-token request may) are new, not changes:
    // compare what existed before.
    after.fieldNames().removeIf(k -> !before.containsKey(k));
    assertEquals(before.encodePrettily(), after.encodePrettily(), "pre-existing tasks and nodes changed (seed "
        + seed + ")");

    // still correct: a normal task runs on the pre-existing node
    assertEquals(200, cluster.admin.post("/api/cluster/nodes/pre-agent/drain", new JsonObject().put("enabled", false))
        .status());
    String id = cluster.submit(new JsonObject().put("command", "echo after fuzz").put("node", "pre-agent"));
    JsonObject t;
    try {
      t = cluster.awaitFinished(id, Duration.ofSeconds(30));
    } catch (AssertionError e) {
      System.out.println("[fuzz] DEBUG task " + cluster.admin.get("/api/cluster/tasks/" + id).raw());
      System.out.println("[fuzz] DEBUG node " + cluster.node("pre-agent"));
      System.out.println("[fuzz] DEBUG state " + cluster.admin.get("/api/cluster/state").raw());
      System.out.println("[fuzz] DEBUG nodes " + cluster.admin.get("/api/cluster/nodes").raw().length());
      throw e;
    }
    assertEquals("succeeded", t.getString("status"), t.encode());
    assertEquals("after fuzz\n", t.getJsonObject("result").getString("stdout"));
    assertEquals(200, cluster.admin.post("/api/cluster/tasks/pre-running/cancel", new JsonObject()).status());
  }

  /** {@code {"error": {"code", "message", "details"}}}, as DESIGN.md §2 promises for every error. */
  private static boolean errorShape(String body) {
    try {
      JsonObject e = new JsonObject(body).getJsonObject("error");
      return e != null && e.getString("code") != null && e.getString("message") != null
          && e.getJsonObject("details") != null;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.replaceAll("[\\p{Cntrl}]", "?");
    return t.length() > 300 ? t.substring(0, 300) + "…" : t;
  }
}
