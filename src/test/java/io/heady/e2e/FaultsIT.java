package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 with real processes: deleting a live node, quiet and busy-silent tasks under the watchdog, and a
 * task no node could take until one registers.
 */
class FaultsIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=4", "--offline-sec=30",
      "--hz-max-no-heartbeat-sec=4", "--offload-cpu-pct=101", "--local-executor=false"};

  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException gone) {
      return false;
    }
  }

  @Test
  void deletingANodeThatRunsATaskRunsItAgainAndLeavesNothingOfTheFirstAttempt() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      c.startAgent("del1", "--max-concurrent=2");
      c.awaitNode("del1", "active", Duration.ofSeconds(40));
      Path pids = HeadyProcess.tempDir("pids-").resolve("pids");
      // Each attempt writes its pid, then becomes a sleep (exec keeps the pid), so the pid is the process.
      String id = c.submit(new JsonObject().put("command", "echo $$ >> " + pids + "; exec sleep 3")
          .put("node", "del1"));
      Poll.until("the first attempt runs", Duration.ofSeconds(30), () -> Files.exists(pids)
          && "running".equals(c.admin.get("/api/cluster/tasks/" + id).json().getString("status")));
      long first = Long.parseLong(Files.readAllLines(pids).get(0).trim());
      assertTrue(alive(first));

      Api.Res del = c.admin.delete("/api/cluster/nodes/del1");
      assertEquals(200, del.status(), del.raw());

      JsonObject done = c.awaitFinished(id, Duration.ofSeconds(60));
      assertEquals("succeeded", done.getString("status"), done.encodePrettily() + c.logs());
      assertEquals(0, done.getInteger("task_failures"));
      assertEquals("revoked", done.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
      List<String> lines = Files.readAllLines(pids);
      assertEquals(2, lines.size(), "two attempts ran: " + lines);
      Poll.until("the first attempt's process is gone", Duration.ofSeconds(15), () -> !alive(first));
      JsonObject node = Poll.until("del1 back", Duration.ofSeconds(30), () -> c.node("del1"));
      assertEquals(0L, node.getLong("node_faults"), "an operator's delete is not the node's fault");
    }
  }

  @Test
  void theWatchdogWarnsAboutAQuietTaskLeavesABusyOneAloneAndReassignsWhenAsked() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      c.startAgent("w1", "--max-concurrent=4");
      c.startAgent("w2", "--max-concurrent=4");
      c.awaitNode("w1", "active", Duration.ofSeconds(40));
      c.awaitNode("w2", "active", Duration.ofSeconds(40));
      try (EventTap events = new EventTap(c.url(), c.adminToken)) {
        String quiet = c.submit(new JsonObject().put("command", "sleep 40").put("stagnation_sec", 5));
        // CPU for ~12 s and no output at all
        String busy = c.submit(new JsonObject().put("command", "end=$(($(date +%s)+12)); while [ \"$(date +%s)\""
            + " -lt \"$end\" ]; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; done")
            .put("stagnation_sec", 4));
        String moved = c.submit(new JsonObject().put("command", "sleep 60").put("stagnation_sec", 5)
            .put("on_stagnation", "reassign"));

        events.await("watchdog.reassigned", moved, Duration.ofSeconds(60));
        JsonObject m = Poll.until("a second attempt of the reassigned task", Duration.ofSeconds(30), () -> {
          JsonObject t = c.admin.get("/api/cluster/tasks/" + moved).json();
          return t.getJsonArray("attempts").size() >= 2 ? t : null;
        });
        assertEquals("stagnant", m.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
        assertEquals(200, c.admin.post("/api/cluster/tasks/" + moved + "/cancel", "{}").status());

        JsonObject b = c.awaitFinished(busy, Duration.ofSeconds(90));
        assertEquals("succeeded", b.getString("status"), b.encodePrettily());
        assertTrue(events.ofTask("watchdog.stagnant", busy).isEmpty(),
            "a task using CPU is making progress: " + events.ofTask("watchdog.stagnant", busy));
        assertEquals(1, b.getJsonArray("attempts").size());

        EventTap.Event warned = events.await("watchdog.stagnant", quiet, Duration.ofSeconds(30));
        assertEquals("warn", warned.data().getString("action"));
        JsonObject q = c.awaitFinished(quiet, Duration.ofSeconds(90));
        assertEquals("succeeded", q.getString("status"), "a quiet task on a healthy node is left to finish");
        assertEquals(1, q.getJsonArray("attempts").size());
        assertFalse(events.ofTask("watchdog.failed", quiet).size() > 0);
      }
    }
  }

  @Test
  void aTaskPinnedToANodeThatDoesNotExistSaysSoAndRunsWhenItRegisters() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      c.startAgent("here", "--max-concurrent=2");
      c.awaitNode("here", "active", Duration.ofSeconds(40));
      try (EventTap events = new EventTap(c.url(), c.adminToken)) {
        Api.Res r = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("command", "echo late")
            .put("node", "later"));
        assertEquals(201, r.status(), r.raw());
        String id = r.json().getString("task_id");
        assertTrue(r.json().getBoolean("unplaceable", false), r.raw());
        assertTrue(r.json().getString("waiting_reason").startsWith("no node in the cluster can take this task"),
            r.raw());
        JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
        assertEquals("queued", t.getString("status"));
        assertTrue(t.getString("waiting_reason").endsWith(
            "1 node (here): task is pinned to later, and no node has the id or name 'later'"),
            t.encodePrettily());
        events.await("task.unplaceable", id, Duration.ofSeconds(10));

        c.startAgent("later");
        JsonObject done = c.awaitFinished(id, Duration.ofSeconds(60));
        assertEquals("succeeded", done.getString("status"));
        assertEquals("later", done.getString("node_id"));
      }
    }
  }
}
