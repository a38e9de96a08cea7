package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * {@code heady bench --local} works and reports no lost and no duplicated task. Not a speed test: the numbers
 * depend on the machine and what else runs on it.
 */
class BenchSmokeIT {
  @Test
  void localNoopRunReportsZeroLostAndZeroDuplicates() throws Exception {
    BenchRun r = BenchRun.of(300, "--local", "--tasks", "200");
    assertEquals(0, r.code, r.err);
    JsonObject j = r.json();
    assertEquals("heady", j.getString("system"));
    assertEquals("noop", j.getString("kind"));
    assertEquals(200, j.getInteger("tasks"));
    assertEquals(2, j.getInteger("agents"));
    assertEquals(4, j.getInteger("concurrency"));
    assertEquals(0, j.getInteger("lost"), j.encodePrettily());
    assertEquals(0, j.getInteger("duplicates"), j.encodePrettily());
    assertTrue(j.getDouble("throughput_per_s") > 0, j.encode());
    assertNotNull(j.getJsonObject("latency_ms").getValue("p50"), j.encode());
    assertNotNull(j.getJsonObject("start_latency_ms").getValue("p99"), j.encode());
    assertTrue(j.getJsonObject("rss_mb").getDouble("manager") > 0, j.encode());
    assertEquals(2, j.getJsonObject("rss_mb").getJsonArray("agents").size(), j.encode());
    assertEquals(3, r.startedPids().size(), r.err);
    assertEquals(java.util.List.of(), r.survivors(), "the bench must stop what it started");
  }

  @Test
  void redisStoreHttpAgentsShellTasks() throws Exception {
    BenchRun r = BenchRun.of(300, "--local", "--tasks", "100", "--warmup", "20", "--kind", "shell", "--store",
        "redis", "--transport", "http", "--agents", "1", "--slots", "2", "--agent-profile", "small");
    assertEquals(0, r.code, r.err);
    JsonObject j = r.json();
    assertEquals("shell", j.getString("kind"));
    assertEquals("redis", j.getString("store"));
    assertEquals("http", j.getString("transport"));
    assertEquals(0, j.getInteger("lost"), j.encodePrettily());
    assertEquals(0, j.getInteger("duplicates"), j.encodePrettily());
    assertEquals(3, r.startedPids().size(), r.err); // redis, manager, one agent
    assertEquals(java.util.List.of(), r.survivors(), "the bench must stop what it started");
  }
}
