package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's prefetch with real processes: at 1 agent x 1 slot with a prefetch of 4, 50 quick shell tasks all
 * succeed, the node record shows quick tasks waiting in the prefetch, and the tasks' own clocks show no two of
 * them ever ran at once; killing the agent (SIGKILL) while it holds prefetched tasks puts them back in the queue,
 * and a second agent runs each to one accepted result: none lost, none doubled.
 */
class PrefetchIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=4", "--offline-sec=30",
      "--hz-max-no-heartbeat-sec=4", "--offload-cpu-pct=101", "--local-executor=false", "--prefetch-per-slot=4"};

  /** A quick shell task that prints when it started and when it ended, in nanoseconds of this machine's clock. */
  private static JsonObject timed(String id, String sleep) {
    return new JsonObject().put("id", id).put("command", "date +%s%N; sleep " + sleep + "; date +%s%N")
        .put("estimated_duration_ms", 100);
  }

  private static List<String> submit(Cluster c, JsonArray batch) {
    Api.Res r = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", batch));
    assertEquals(201, r.status(), r.raw());
    List<String> ids = new ArrayList<>();
    r.json().getJsonArray("tasks").forEach(o -> ids.add(((JsonObject) o).getString("task_id")));
    return ids;
  }

  @Test
  void oneSlotWithAPrefetchOfFourRunsFiftyQuickTasksOneAtATimeAndAKilledAgentsPrefetchIsRequeued()
      throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      HeadyProcess p1 = c.startAgent("p1", "--max-concurrent=1");
      JsonObject node = c.awaitNode("p1", "active", Duration.ofSeconds(60));
      assertEquals(1, node.getInteger("max_concurrent"));
      assertEquals(4, node.getInteger("prefetch"), node.encode());

      JsonArray batch = new JsonArray();
      for (int i = 0; i < 50; i++) {
        batch.add(timed("q" + i + "-" + c.name, "0.05"));
      }
      List<String> ids = submit(c, batch);
      AtomicInteger mostPrefetched = new AtomicInteger();
      AtomicInteger mostHeld = new AtomicInteger();
      Poll.until("50 quick tasks finished", Duration.ofSeconds(180), () -> {
        JsonObject n = c.node("p1");
        mostPrefetched.accumulateAndGet(n.getInteger("prefetched", 0), Math::max);
        mostHeld.accumulateAndGet(n.getInteger("running", 0) + n.getInteger("prefetched", 0), Math::max);
        return ids.stream().allMatch(id -> c.admin.get("/api/cluster/tasks/" + id).json().getString("status")
            .matches("succeeded|failed|timed_out|cancelled"));
      });
      assertTrue(mostPrefetched.get() >= 1 && mostPrefetched.get() <= 4,
          "the node record showed tasks waiting in its prefetch: at most " + mostPrefetched.get());
      assertTrue(mostHeld.get() <= 5, "the node never held more than its slot and its prefetch: " + mostHeld.get());
      List<long[]> spans = new ArrayList<>();
      for (String id : ids) {
        JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
        assertEquals("succeeded", t.getString("status"), t.encode());
        assertEquals(1, t.getJsonArray("attempts").size(), "one attempt each: " + t.encode());
        String[] clock = t.getJsonObject("result").getString("stdout").trim().split("\\s+");
        assertEquals(2, clock.length, t.encode());
        spans.add(new long[] {Long.parseLong(clock[0]), Long.parseLong(clock[1])});
      }
      spans.sort((a, b) -> Long.compare(a[0], b[0]));
      for (int i = 1; i < spans.size(); i++) {
        assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1], "task " + i + " (by start) began before the one "
            + "ahead of it ended: two ran at once on one slot");
      }
      assertEquals(50, c.node("p1").getLong("tasks_completed"));

      // The slot busy with a longer task, four quick ones wait in the prefetch; then the agent is killed.
      List<String> held = new ArrayList<>(submit(c, new JsonArray().add(timed("busy-" + c.name, "20"))));
      JsonArray quick = new JsonArray();
      for (int i = 0; i < 4; i++) {
        quick.add(timed("w" + i + "-" + c.name, "0.05"));
      }
      held.addAll(submit(c, quick));
      Poll.until("p1 holds one running and four prefetched", Duration.ofSeconds(60), () -> {
        JsonObject n = c.node("p1");
        return n.getInteger("running") == 1 && n.getInteger("prefetched") == 4;
      });
      for (String id : held.subList(1, 5)) {
        assertEquals("dispatched", c.admin.get("/api/cluster/tasks/" + id).json().getString("status"),
            "a prefetched task waits as dispatched, not running");
      }
      p1.kill9(); // SIGKILL by PID
      Poll.until("the killed agent's tasks are back in the queue", Duration.ofSeconds(60), () -> held.stream()
          .allMatch(id -> "queued".equals(c.admin.get("/api/cluster/tasks/" + id).json().getString("status"))));

      c.startAgent("p2", "--max-concurrent=1");
      Poll.until("the five finished on p2", Duration.ofSeconds(180), () -> held.stream().allMatch(id ->
          "succeeded".equals(c.admin.get("/api/cluster/tasks/" + id).json().getString("status"))));
      for (String id : held) {
        JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
        JsonArray attempts = t.getJsonArray("attempts");
        long accepted = attempts.stream().filter(a -> "succeeded".equals(((JsonObject) a).getString("outcome")))
            .count();
        assertEquals(1, accepted, "exactly one accepted result for " + id + ": " + t.encode());
        JsonObject last = attempts.getJsonObject(attempts.size() - 1);
        assertEquals("p2", last.getString("node_id"), t.encode());
        JsonObject first = attempts.getJsonObject(0);
        assertEquals("p1", first.getString("node_id"));
        assertEquals("lost", first.getString("outcome"), "its attempt on the killed node was lost: " + t.encode());
      }
      assertEquals(5, c.node("p2").getLong("tasks_completed"), "each counted once");
      assertEquals(50, c.node("p1").getLong("tasks_completed"), "the killed node completed none of them");
    }
  }
}
