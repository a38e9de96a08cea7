package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** {@code heady bench --sim-nodes}: the manager against simulated HTTP nodes, with a deep queue. */
class BenchSimIT {
  @Test
  void simulatedNodesDrainADeepQueue() throws Exception {
    BenchRun r = BenchRun.of(300, "--local", "--sim-nodes", "40", "--tasks", "3000", "--warmup", "300",
        "--sim-flood-sec", "1", "--sim-heartbeat-sec", "2");
    assertEquals(0, r.code, r.err);
    JsonObject j = r.json();
    assertEquals("sim", j.getString("kind"));
    assertEquals(40, j.getInteger("sim_nodes"));
    assertEquals(0, j.getInteger("lost"), j.encodePrettily());
    assertEquals(0, j.getInteger("duplicates"), j.encodePrettily());
    assertTrue(j.getDouble("heartbeats_per_s") > 0, j.encode());
    assertNotNull(j.getJsonObject("placement_ms").getValue("p99"), j.encode());
    // the scheduler's own time per decision, read from heady_placement_seconds: at least one per measured task
    JsonObject decided = j.getJsonObject("placement_decision_ms");
    assertTrue(decided.getLong("count") >= 3000, j.encode());
    assertTrue(decided.getDouble("p50") > 0 && decided.getDouble("p50") <= decided.getDouble("p99"), j.encode());
    JsonObject heap = j.getJsonObject("manager_heap_mb");
    assertTrue(heap.getInteger("queued") >= 3000 - 40 * 2, j.encode());
    assertTrue(heap.getDouble("deep_queue") > 0, j.encode());
    assertEquals(java.util.List.of(), r.survivors(), "the bench must stop what it started");
  }
}
