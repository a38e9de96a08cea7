package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Issue 5 with real processes: no task lost, none counted twice, through kill -9 and SIGSTOP. */
class SelfHealingIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=4", "--offline-sec=30",
      "--hz-max-no-heartbeat-sec=4", "--offload-cpu-pct=101"};

  @Test
  void chaosKillOneOfThreeAgentsMidRun() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      HeadyProcess victim = c.startAgent("c1", "--max-concurrent=4");
      c.startAgent("c2", "--max-concurrent=4");
      c.startAgent("c3", "--max-concurrent=4");
      for (String n : List.of("c1", "c2", "c3")) {
        c.awaitNode(n, "active", Duration.ofSeconds(30));
      }
      List<String> ids = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 100; i++) {
          batch.add(new JsonObject().put("command", "sleep 0.2"));
        }
        Api.Res r = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", batch));
        assertEquals(201, r.status(), r.raw());
        r.json().getJsonArray("tasks").forEach(o -> ids.add(((JsonObject) o).getString("task_id")));
      }
      // A 20-task DAG: a chain of 5 layers of 4, each task depending on the whole previous layer.
      JsonArray dag = new JsonArray();
      for (int layer = 0; layer < 5; layer++) {
        for (int k = 0; k < 4; k++) {
          JsonArray deps = new JsonArray();
          for (int p = 0; layer > 0 && p < 4; p++) {
            deps.add("d" + (layer - 1) + "-" + p + "-" + c.name);
          }
          dag.add(new JsonObject().put("id", "d" + layer + "-" + k + "-" + c.name).put("command", "sleep 0.2")
              .put("depends_on", deps).put("estimated_duration_ms", 200));
        }
      }
      Api.Res d = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", dag));
      assertEquals(201, d.status(), d.raw());
      String dagId = d.json().getString("dag_id");
      List<String> dagIds = new ArrayList<>();
      d.json().getJsonArray("tasks").forEach(o -> dagIds.add(((JsonObject) o).getString("task_id")));

      // Kill c1 while it is running tasks.
      Poll.until("c1 busy", Duration.ofSeconds(30), () -> c.node("c1").getInteger("running") >= 2);
      Instant killedAt = Instant.now();
      victim.kill9();

      List<String> all = new ArrayList<>(ids);
      all.addAll(dagIds);
      Poll.until("all 320 tasks finished", Duration.ofSeconds(120), () -> all.stream().allMatch(id ->
          "succeeded".equals(c.admin.get("/api/cluster/tasks/" + id).json().getString("status"))));

      long completedSum = 0;
      for (String n : List.of("c1", "c2", "c3")) {
        completedSum += c.node(n).getLong("tasks_completed");
      }
      assertEquals(320, completedSum, "each task counted once across the nodes");
      int lostOnVictim = 0;
      for (String id : all) {
        JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
        long accepted = t.getJsonArray("attempts").stream()
            .filter(a -> "succeeded".equals(((JsonObject) a).getString("outcome"))).count();
        assertEquals(1, accepted, "exactly one accepted result for " + id);
        for (Object o : t.getJsonArray("attempts")) {
          JsonObject a = (JsonObject) o;
          if ("lost".equals(a.getString("outcome"))) {
            lostOnVictim++;
            assertEquals("c1", a.getString("node_id"));
            Duration after = Duration.between(killedAt, Instant.parse(a.getString("ended_at")));
            assertTrue(after.toMillis() < 2000, "requeued " + after.toMillis() + " ms after the kill");
          }
        }
      }
      assertTrue(lostOnVictim >= 1, "the kill hit running tasks");

      JsonObject view = c.admin.get("/api/cluster/dags/" + dagId).json();
      assertEquals("succeeded", view.getString("status"));
      assertTrue(view.getJsonArray("critical_path").size() == 5, view.encode());
      Map<String, JsonObject> byId = new HashMap<>();
      for (String id : dagIds) {
        byId.put(id, c.admin.get("/api/cluster/tasks/" + id).json());
      }
      for (JsonObject t : byId.values()) {
        Instant started = lastStart(t);
        for (Object dep : t.getJsonArray("depends_on")) {
          Instant depDone = Instant.parse(byId.get((String) dep).getString("finished_at"));
          assertTrue(!started.isBefore(depDone), t.getString("task_id") + " started before " + dep + " finished");
        }
      }
    }
  }

  private static Instant lastStart(JsonObject t) {
    JsonArray a = t.getJsonArray("attempts");
    JsonObject last = a.getJsonObject(a.size() - 1);
    return Instant.parse(last.getString("dispatched_at"));
  }

  @Test
  void aHungAgentsTasksRunElsewhereAndItsLateResultsAreRefused() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      HeadyProcess hung = c.startAgent("hung", "--max-concurrent=2");
      // why: the spare is up (but drained) before the tasks start, so its start-up time, long on a busy
      // machine, cannot outlast the tasks on the node about to hang
      c.startAgent("spare", "--max-concurrent=2");
      c.awaitNode("hung", "active", Duration.ofSeconds(30));
      c.awaitNode("spare", "active", Duration.ofSeconds(30));
      assertEquals(200, c.admin.post("/api/cluster/nodes/spare/drain", "{\"enabled\":true}").status());
      String a = c.submit(new JsonObject().put("command", "sleep 6"));
      String b = c.submit(new JsonObject().put("command", "sleep 6"));
      Poll.until("both running on hung", Duration.ofSeconds(20), () -> c.node("hung").getInteger("running") == 2);
      assertEquals(200, c.admin.post("/api/cluster/nodes/spare/drain", "{\"enabled\":false}").status());

      hung.signal("STOP");
      try {
        for (String id : List.of(a, b)) {
          JsonObject t = c.awaitFinished(id, Duration.ofSeconds(40));
          assertEquals("succeeded", t.getString("status"), t::encodePrettily);
          assertEquals("spare", t.getString("node_id"));
        }
      } finally {
        hung.signal("CONT");
      }
      // The hung agent's own sleeps finished meanwhile; on waking it reports them under revoked leases.
      for (String id : List.of(a, b)) {
        JsonObject late = Poll.until("late result of " + id + " recorded", Duration.ofSeconds(40), () -> {
          JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
          for (Object o : t.getJsonArray("attempts")) {
            JsonObject at = (JsonObject) o;
            if ("hung".equals(at.getString("node_id")) && at.getJsonObject("late_result") != null) {
              return at;
            }
          }
          return null;
        });
        assertEquals("lost", late.getString("outcome"));
        assertNotNull(late.getJsonObject("late_result").getString("received_at"));
      }
      assertEquals(0L, c.node("hung").getLong("tasks_completed"), "late results are not counted");
      assertEquals(2L, c.node("spare").getLong("tasks_completed"));
      JsonObject metrics = c.admin.get("/api/cluster/state").json().getJsonObject("metrics");
      assertEquals(2L, metrics.getLong("completed"));
      assertTrue(metrics.getLong("late_results") >= 2);
    }
  }

  @Test
  void theSameClientIdSubmittedConcurrentlyMakesOneTask() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      String id = "once-" + c.name;
      ConcurrentLinkedQueue<Api.Res> answers = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        Thread t = new Thread(() -> answers.add(c.admin.post("/api/cluster/tasks/route",
            new JsonObject().put("id", id).put("type", "deployment").put("command", "echo once"))));
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      Set<String> taskIds = new HashSet<>();
      int created = 0;
      for (Api.Res r : answers) {
        assertTrue(r.status() == 201 || r.status() == 200, r.raw());
        taskIds.add(r.json().getString("task_id"));
        created += r.status() == 201 ? 1 : 0;
      }
      assertEquals(Set.of(id), taskIds);
      assertEquals(1, created, "one 201, the rest 200 with the same task");
      assertEquals(1L, c.admin.get("/api/cluster/state").json().getJsonObject("metrics").getLong("submitted"));
    }
  }
}
