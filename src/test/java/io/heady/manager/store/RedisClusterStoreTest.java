package io.heady.manager.store;

import static io.heady.manager.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a real {@code redis-server}, then what only Redis can do: outages and durability. */
class RedisClusterStoreTest extends ClusterStoreContract {
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static RedisServer redis;
  private static Vertx vertx;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    // why: the JVM's first connection loads and warms the Redis client; on a busy machine that alone can take
    // longer than the 1 s timeout the tests run with, and would fail whichever test happens to run first
    RedisClusterStore warm = new RedisClusterStore(vertx, redis.url(),
        settings("warmup:").withTimeout(Duration.ofSeconds(30)), java.time.Clock.systemUTC());
    result(warm.ping());
    result(warm.tasks(TaskQuery.all(1)));
    result(warm.close());
  }

  @AfterAll
  static void stopRedis() {
    result(vertx.close());
    redis.close();
  }

  @Override
  protected ClusterStore open(Retention retention) {
    // why: a fresh prefix per store is a fresh, empty store on the shared server
    String prefix = "test" + RUNS.incrementAndGet() + ":";
    return new RedisClusterStore(vertx, redis.url(), settings(prefix).withRetention(retention), clock);
  }

  @Override
  protected ClusterStore sameDataAs(ClusterStore first) {
    return new RedisClusterStore(vertx, redis.url(), ((RedisClusterStore) first).settings(), clock);
  }

  private static RedisClusterStore.Settings settings(String prefix) {
    return RedisClusterStore.Settings.defaults().withPrefix(prefix).withRetention(Retention.NONE)
        .withTimeout(Duration.ofSeconds(1)).withMaxBackoff(Duration.ofMillis(400));
  }

  private static final Duration PATIENT = Duration.ofSeconds(60);
  private static final Duration FAST = Duration.ofMillis(1500); // the 1 s timeout plus scheduling slack

  // ---- outages -----------------------------------------------------------------------------------------

  @Test
  void failsFastWhileRedisIsDownAndReconnectsByItself() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      RedisClusterStore s = new RedisClusterStore(vertx, own.url(), settings("outage:"), clock);
      try {
        result(s.saveTasks(List.of(task("before", 1, "queued"))));
        own.stop();
        for (int round = 0; round < 3; round++) { // the first finds the connection gone, later ones back off
          for (var op : everyOperation(s)) {
            long t0 = System.nanoTime();
            Throwable e = Await.failure(op.get(), FAST);
            assertInstanceOf(StoreUnavailableException.class, e, "while Redis is down: " + e);
            assertTrue(System.nanoTime() - t0 < FAST.toNanos());
          }
        }
        own.restart();
        // nothing asks the store anything: it reconnects on its own timer
        Await.until("the store reconnects by itself", Duration.ofSeconds(10), () -> clientsOf(own) >= 1);
        result(s.ping());
        assertTrue(result(s.tryLead("m", Duration.ofMinutes(1))), "the lease died with the unsaved data");
        result(s.saveTasks(List.of(task("after", 2, "queued"))));
        assertEquals("after", result(s.task("after")).getString("task_id"));
      } finally {
        result(s.close());
      }
    }
  }

  @Test
  void aHungRedisTimesOutInsteadOfHangingAndRecovers() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      RedisClusterStore s = new RedisClusterStore(vertx, own.url(), settings("hung:"), clock);
      try {
        result(s.saveTasks(List.of(task("a", 1, "queued"))));
        own.freeze();
        List<Future<?>> inFlight = new ArrayList<>();
        for (var op : everyOperation(s)) {
          inFlight.add(op.get());
        }
        for (Future<?> f : inFlight) {
          assertInstanceOf(StoreUnavailableException.class, Await.failure(f, Duration.ofSeconds(3)));
        }
        own.resume();
        Await.until("the store answers again", Duration.ofSeconds(10),
            () -> Await.succeeds(s.ping(), Duration.ofSeconds(2)));
        assertEquals("a", result(s.task("a")).getString("task_id"));
        assertTrue(result(s.tryLead("m", Duration.ofMinutes(1))));
        result(s.saveTasks(List.of(task("b", 2, "queued"))));
        // a write that timed out may still have landed (it was in the socket when Redis froze): that is why
        // a failed write is retried by saving the current state again, never assumed absent
        Set<String> ids = new HashSet<>();
        result(s.unfinishedTasks()).forEach(d -> ids.add(d.getString("task_id")));
        assertTrue(ids.containsAll(Set.of("a", "b")), ids.toString());
      } finally {
        result(s.close());
      }
    }
  }

  @Test
  void anAcknowledgedWriteSurvivesSigkillWithAppendOnly() throws Exception {
    try (RedisServer own = RedisServer.start(true, null)) {
      RedisClusterStore s = new RedisClusterStore(vertx, own.url(), settings("durable:"), clock);
      List<JsonObject> batch = new ArrayList<>();
      for (int i = 1; i <= 1000; i++) {
        batch.add(task("d" + i, i, i % 10 == 0 ? "succeeded" : "queued"));
      }
      JsonObject counters = new JsonObject().put("routed", 1000L);
      result(s.saveTasks(batch));
      result(s.saveNodes(List.of(node("n1", 2))));
      result(s.saveCounters(counters));
      own.stop(); // SIGKILL right after the acknowledgement: no clean shutdown, no fsync of our own
      own.restart();

      RedisClusterStore fresh = new RedisClusterStore(vertx, own.url(), settings("durable:"), clock);
      try {
        assertEquals(900, result(fresh.unfinishedTasks()).size());
        assertEquals(100, result(fresh.history(1000, 0)).size());
        assertEquals(batch.get(41), result(fresh.task("d42")));
        assertEquals(node("n1", 2), result(fresh.nodes()).get(0));
        assertEquals(counters, result(fresh.counters()));
        // and the old store instance carries on against the restarted server
        Await.until("the old store reconnects", Duration.ofSeconds(10),
            () -> Await.succeeds(s.ping(), Duration.ofSeconds(2)));
        assertEquals(900, result(s.unfinishedTasks()).size());
      } finally {
        result(fresh.close());
        result(s.close());
      }
    }
  }

  @Test
  void aKillDuringAStreamOfBatchesLeavesEveryBatchWholeOrAbsent() throws Exception {
    try (RedisServer own = RedisServer.start(true, null)) {
      RedisClusterStore s = new RedisClusterStore(vertx, own.url(),
          settings("stream:").withTimeout(Duration.ofSeconds(5)), clock);
      try {
        int batches = 300;
        int perBatch = 100;
        String pad = "x".repeat(600);
        CountDownLatch acked = new CountDownLatch(20);
        List<Future<Void>> writes = new ArrayList<>();
        Thread killer = new Thread(() -> {
          try {
            if (acked.await(30, TimeUnit.SECONDS)) {
              own.stop(); // SIGKILL while the rest of the stream is on its way
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        killer.start();
        for (int b = 0; b < batches; b++) {
          List<JsonObject> batch = new ArrayList<>();
          for (int i = 0; i < perBatch; i++) {
            batch.add(task("s" + b + "-" + i, (long) b * perBatch + i, "queued").put("pad", pad));
          }
          writes.add(s.saveTasks(batch).onSuccess(v -> acked.countDown()));
        }
        killer.join(60_000);
        assertFalse(killer.isAlive());
        boolean[] ok = new boolean[batches];
        int failed = 0;
        for (int b = 0; b < batches; b++) {
          Future<Void> f = writes.get(b);
          Await.until("batch " + b + " is answered", Duration.ofSeconds(10), f::isComplete);
          ok[b] = f.succeeded();
          failed += ok[b] ? 0 : 1;
        }
        assertTrue(failed > 0, "the kill came while batches were in flight (else this test proves nothing)");
        own.restart();

        RedisClusterStore fresh = new RedisClusterStore(vertx, own.url(),
            settings("stream:").withTimeout(Duration.ofSeconds(10)), clock);
        try {
          Set<String> queued = new HashSet<>();
          for (JsonObject d : result(fresh.unfinishedTasks())) {
            queued.add(d.getString("task_id"));
          }
          List<Future<JsonObject>> docs = new ArrayList<>(); // all asked at once: one pipelined stream
          for (int b = 0; b < batches; b++) {
            for (int i = 0; i < perBatch; i++) {
              docs.add(fresh.task("s" + b + "-" + i));
            }
          }
          for (int b = 0; b < batches; b++) {
            int present = 0;
            for (int i = 0; i < perBatch; i++) {
              String id = "s" + b + "-" + i;
              boolean doc = result(docs.get(b * perBatch + i)) != null;
              assertEquals(doc, queued.contains(id), id + ": the queue names a task exactly when its document is there");
              present += doc ? 1 : 0;
            }
            assertTrue(present == 0 || present == perBatch, "batch " + b + " is whole or absent: " + present);
            if (ok[b]) {
              assertEquals(perBatch, present, "batch " + b + " was acknowledged, so it must be there");
            }
          }
        } finally {
          result(fresh.close());
        }
      } finally {
        result(s.close());
      }
    }
  }

  @Test
  void aFlushedScriptCacheCostsOneFailedCallAndIsRepaired() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      RedisClusterStore s = new RedisClusterStore(vertx, own.url(), settings("flush:"), clock);
      try {
        result(s.saveTasks(List.of(task("a", 1, "queued"))));
        assertEquals("OK", own.call("SCRIPT", "FLUSH"));
        Await.until("writes work again", Duration.ofSeconds(10),
            () -> Await.succeeds(s.saveTasks(List.of(task("b", 2, "queued"))), Duration.ofSeconds(2)));
        // a write that timed out may still have landed (it was in the socket when Redis froze): that is why
        // a failed write is retried by saving the current state again, never assumed absent
        Set<String> ids = new HashSet<>();
        result(s.unfinishedTasks()).forEach(d -> ids.add(d.getString("task_id")));
        assertTrue(ids.containsAll(Set.of("a", "b")), ids.toString());
      } finally {
        result(s.close());
      }
    }
  }

  // ---- leadership across managers ----------------------------------------------------------------------

  @Test
  void aLeaseThatIsNotRenewedPassesToTheStandby() {
    RedisClusterStore a = new RedisClusterStore(vertx, redis.url(), settings("lease:"), clock);
    RedisClusterStore b = new RedisClusterStore(vertx, redis.url(), settings("lease:"), clock);
    try {
      assertTrue(result(a.tryLead("m1", Duration.ofMillis(500))));
      assertFalse(result(b.tryLead("m2", Duration.ofSeconds(30))));
      result(a.saveTasks(List.of(task("a", 1, "queued"))));
      // m1 stops renewing (it died, or hangs): the lease runs out on the Redis server's clock
      Await.until("the standby takes over", Duration.ofSeconds(10),
          () -> result(b.tryLead("m2", Duration.ofSeconds(30))));
      assertEquals("m2", result(a.leader()));
      NotLeaderException e = assertInstanceOf(NotLeaderException.class,
          Await.failure(a.saveTasks(List.of(task("stale", 2, "running"))), Await.DEADLINE));
      assertEquals("m2", e.leader());
      assertNull(result(b.task("stale")));
      result(b.saveTasks(List.of(task("a", 1, "running"))));
      assertEquals("running", result(a.task("a")).getString("status"));
    } finally {
      result(a.close());
      result(b.close());
    }
  }

  // ---- addressing --------------------------------------------------------------------------------------

  @Test
  void twoClustersShareOneRedisUnderTheirOwnPrefixes() {
    RedisClusterStore a = new RedisClusterStore(vertx, redis.url(), RedisClusterStore.Settings.forCluster("a"),
        clock);
    RedisClusterStore b = new RedisClusterStore(vertx, redis.url(), RedisClusterStore.Settings.forCluster("b"),
        clock);
    try {
      assertEquals("heady:a:", a.settings().prefix());
      result(a.saveTasks(List.of(task("same-id", 1, "queued"))));
      result(b.saveTasks(List.of(task("same-id", 1, "succeeded"))));
      assertEquals("queued", result(a.task("same-id")).getString("status"));
      assertEquals("succeeded", result(b.task("same-id")).getString("status"));
      assertEquals(1, result(a.unfinishedTasks()).size());
      assertTrue(result(b.unfinishedTasks()).isEmpty());
    } finally {
      result(a.close());
      result(b.close());
    }
  }

  @Test
  void aPasswordUrlConnectsAndIsNeverShown() throws Exception {
    try (RedisServer own = RedisServer.start(false, "s3cret")) {
      RedisClusterStore good = new RedisClusterStore(vertx, own.url(2), settings("pw:"), clock);
      RedisClusterStore db0 = new RedisClusterStore(vertx, own.url(0), settings("pw:"), clock);
      RedisClusterStore bad = new RedisClusterStore(vertx,
          "redis://:wrong@127.0.0.1:" + own.port() + "/2", settings("pw:"), clock);
      try {
        result(good.saveTasks(List.of(task("a", 1, "queued"))));
        assertEquals("a", result(good.task("a")).getString("task_id"));
        assertNull(result(db0.task("a")), "the URL's database number is used");
        assertEquals("redis://127.0.0.1:" + own.port() + "/2", good.describe());
        assertFalse(good.describe().contains("s3cret"));
        assertInstanceOf(StoreUnavailableException.class, Await.failure(bad.ping(), FAST));
      } finally {
        result(good.close());
        result(db0.close());
        result(bad.close());
      }
    }
  }

  @Test
  void badUrlsAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> new RedisClusterStore(vertx, "http://localhost:6379"));
    assertThrows(IllegalArgumentException.class, () -> new RedisClusterStore(vertx, "redis://localhost/abc"));
    assertThrows(IllegalArgumentException.class, () -> new RedisClusterStore(vertx, "localhost:6379"));
    assertEquals("rediss://h:6380/1", new RedisClusterStore(vertx, "rediss://:pw@h:6380/1").describe());
    assertEquals("redis://h:6379/0", new RedisClusterStore(vertx, "redis://h").describe());
    assertEquals("redis://[::1]:7000", RedisUrl.endpoint("redis://:pw@[::1]:7000/3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RedisClusterStore(vertx, "redis://:pa ss@h:1/0"));
    assertFalse(e.getMessage().contains("pa ss"), e.getMessage());
  }

  // ---- speed (printed, not asserted) -------------------------------------------------------------------

  @Test
  void reportsTheTimeOfA1000TaskBatch() throws Exception {
    JsonArray history = new JsonArray();
    for (int i = 0; i < 8; i++) {
      history.add(new JsonObject().put("at", "2030-01-01T00:00:0" + i + "Z").put("event", "queued")
          .put("detail", "placed on node-" + i + " score 0.87"));
    }
    int docBytes = task("p0-0", 0, "queued").put("history", history).toBuffer().length();
    // why: printed, not asserted; a loaded machine may make a batch slow, never make this test fail
    RedisClusterStore plain = new RedisClusterStore(vertx, redis.url(), settings("speed-plain:").withTimeout(PATIENT),
        clock);
    try {
      time("no persistence", plain, history, docBytes);
    } finally {
      result(plain.close());
    }
    try (RedisServer own = RedisServer.start(true, null)) {
      RedisClusterStore s = new RedisClusterStore(vertx, own.url(), settings("speed:").withTimeout(PATIENT), clock);
      try {
        time("appendfsync always", s, history, docBytes);
      } finally {
        result(s.close());
      }
    }
  }

  /** Prints the median time of a 1,000-task batch, and the rate of 3,000 one-task batches in flight at once. */
  private static void time(String what, RedisClusterStore s, JsonArray history, int docBytes) {
    long[] us = new long[12];
    for (int round = 0; round < us.length; round++) {
      List<JsonObject> batch = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        batch.add(task("p" + round + "-" + i, (long) round * 1000 + i, "queued").put("history", history.copy()));
      }
      long t0 = System.nanoTime();
      result(s.saveTasks(batch));
      us[round] = (System.nanoTime() - t0) / 1000;
    }
    long[] sorted = Arrays.copyOfRange(us, 2, us.length); // the first rounds warm the JIT
    Arrays.sort(sorted);
    List<Future<Void>> singles = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 3000; i++) {
      singles.add(s.saveTasks(List.of(task("one-" + i, 100_000 + i, "queued").put("history", history))));
    }
    singles.forEach(Await::result);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("redis store (%s): saveTasks of 1000 tasks (%d bytes each): median %.1f ms, best %.1f ms,"
        + " worst %.1f ms; 3000 one-task batches pipelined: %.0f ms (%.0f tasks/s)%n", what, docBytes,
        sorted[sorted.length / 2] / 1000.0, sorted[0] / 1000.0, sorted[sorted.length - 1] / 1000.0,
        secs * 1000, 3000 / secs);
    assertNotNull(result(s.task("p11-999")));
    assertNotNull(result(s.task("one-2999")));
  }

  // ---- upgrades ----------------------------------------------------------------------------------------

  @Test
  void finishedTasksOfAnEarlierHeadyAreIndexedByStatusInTheBackground() throws Exception {
    // what a heady without the status indexes left behind: documents, the history and the queue
    String p = "earlier" + RUNS.incrementAndGet() + ":";
    int n = 1234;
    for (int i = 1; i <= n; i++) {
      String status = i % 10 == 0 ? "failed" : "succeeded";
      assertEquals("1", redis.call("HSET", p + "tasks", "old-" + i, task("old-" + i, i, status).encode()));
      assertEquals("1", redis.call("ZADD", p + "tasks:finished", Integer.toString(i), "old-" + i));
    }
    redis.call("HSET", p + "tasks", "waiting-1", task("waiting-1", 2000, "queued").encode());
    redis.call("ZADD", p + "tasks:unfinished", "2000", "waiting-1");
    redis.call("SET", p + "tasks:finish_seq", Integer.toString(n));

    RedisClusterStore s = new RedisClusterStore(vertx, redis.url(), settings(p), clock);
    try {
      TaskQuery failed = TaskQuery.all(200).withStatuses(Set.of("failed"));
      result(s.ping()); // the store connects on first use, and indexes once connected
      Await.until("the earlier tasks are indexed", Duration.ofSeconds(20),
          () -> "done".equals(call("GET", p + "tasks:done_indexed")));
      TaskPage page = result(s.tasks(failed));
      assertEquals(123, page.tasks().size());
      assertEquals("old-10", page.tasks().get(0).getString("task_id"));
      assertNull(page.next());
      TaskQuery succeeded = TaskQuery.all(200).withStatuses(Set.of("succeeded")).withNewestFirst(true);
      assertEquals("old-1234", result(s.tasks(succeeded)).tasks().get(0).getString("task_id"));
      int listed = 0;
      for (TaskPage pg = result(s.tasks(succeeded)); ; pg = result(s.tasks(succeeded.withAfter(pg.next())))) {
        listed += pg.tasks().size();
        if (pg.next() == null) {
          break;
        }
      }
      assertEquals(n - 123, listed, "every earlier succeeded task, once");
      assertEquals(2000L, result(s.highestSeq()), "the unfinished task's seq counts too");
      // a task of the new heady finishes: it takes the next place, and the old ones keep theirs
      result(s.saveTasks(List.of(task("new-1", 2001, "failed"))));
      TaskPage newest = result(s.tasks(failed.withNewestFirst(true).withLimit(2)));
      assertEquals(List.of("new-1", "old-1230"), newest.tasks().stream().map(d -> d.getString("task_id")).toList());
      assertEquals(2001L, result(s.highestSeq()));
    } finally {
      result(s.close());
    }
    RedisClusterStore again = new RedisClusterStore(vertx, redis.url(), settings(p), clock);
    try {
      result(again.ping());
      assertEquals("done", call("GET", p + "tasks:done_indexed"), "done once, not again");
    } finally {
      result(again.close());
    }
  }

  private static String call(String... args) {
    try {
      return redis.call(args);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  private static List<Supplier<Future<?>>> everyOperation(ClusterStore s) {
    return List.of(
        () -> s.saveTasks(List.of(task("x", 9, "queued"))),
        () -> s.task("before"),
        () -> s.unfinishedTasks(),
        () -> s.history(10, 0),
        () -> s.tasks(TaskQuery.all(10)),
        () -> s.highestSeq(),
        () -> s.expireFinished(),
        () -> s.saveNodes(List.of(node("n", 0))),
        () -> s.nodes(),
        () -> s.deleteNode("n"),
        () -> s.saveCounters(new JsonObject()),
        () -> s.counters(),
        () -> s.tryLead("m", Duration.ofSeconds(5)),
        () -> s.leader(),
        () -> s.resign("m"),
        () -> s.ping());
  }

  private static int clientsOf(RedisServer r) {
    try {
      return r.clients();
    } catch (Exception e) {
      return -1;
    }
  }
}
