package io.heady.agent.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.agent.link.LinkException;
import io.heady.agent.link.ManagerLink;
import io.heady.common.node.Reports;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Report;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's outbox: results and starts leave in batches, each result until the manager settles it. */
class ReportsTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<Report> sent = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Completion result(String id) {
    return new Completion(id, "n1", "l-" + id, "succeeded", 0, 1, "", "", false, null);
  }

  /** A manager that answers each result with {@code answer(taskId)} (null: accepted). */
  private ManagerLink manager(Function<Report, Future<JsonObject>> reply) {
    return new ManagerLink() {
      @Override
      public Future<JsonObject> report(JsonObject report) {
        Report r = Report.fromJson(report);
        sent.add(r);
        return reply.apply(r);
      }

      @Override
      public Future<JsonObject> register(JsonObject registration) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<JsonObject> heartbeat(JsonObject heartbeat) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<JsonObject> deregister(JsonObject node) {
        throw new UnsupportedOperationException();
      }

      @Override
      public String transport() {
        return "test";
      }
    };
  }

  private static Future<JsonObject> answer(Report r, Map<String, JsonObject> special) {
    JsonArray out = new JsonArray();
    r.results().forEach(c -> out.add(special.getOrDefault(c.taskId(), Report.itemAccepted(c.taskId(), false))));
    return Future.succeededFuture(new JsonObject().put("results", out));
  }

  private static void await(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void aBurstOfResultsLeavesInFewReportsAndEveryOneIsDelivered() {
    Reports reports = new Reports("n1", 100);
    reports.attach(vertx, manager(r -> answer(r, Map.of())));
    // why: submitted from one thread while the loop sends, as the agent's runner threads do
    for (int i = 0; i < 500; i++) {
      reports.submit(result("t" + i));
    }
    await(() -> reports.size() == 0, "every result settled");
    int delivered = sent.stream().mapToInt(r -> r.results().size()).sum();
    assertEquals(500, delivered, "each result sent once when the manager takes it at once");
    assertTrue(sent.size() < 500, "results share reports: " + sent.size() + " reports for 500 results");
    assertTrue(sent.stream().allMatch(r -> r.size() <= 100), "no report is larger than its bound");
  }

  @Test
  void aStartWhoseResultIsAlreadyWaitingIsNotSent() {
    Reports reports = new Reports("n1");
    reports.submit(result("quick"));
    reports.started("quick", "l-quick");
    reports.started("slow", "l-slow");
    reports.attach(vertx, manager(r -> answer(r, Map.of())));
    await(() -> reports.size() == 0 && !sent.isEmpty(), "the report");
    List<String> starts = sent.stream().flatMap(r -> r.started().stream()).map(Report.Started::taskId).toList();
    assertEquals(List.of("slow"), starts);
  }

  @Test
  void aFailedReportIsResentAndARefusalIsFinalOnlyWhenTheManagerSaysSo() {
    Map<String, Integer> tries = new ConcurrentHashMap<>();
    Reports reports = new Reports("n1");
    // why: all three wait before the link is attached, so the first (failing) report carries all of them
    reports.submit(result("ok"));
    reports.submit(result("stale"));
    reports.submit(result("busy"));
    reports.attach(vertx, manager(r -> {
      int n = tries.merge("report", 1, Integer::sum);
      if (n == 1) {
        return Future.failedFuture(new LinkException(0, null, "manager unreachable"));
      }
      Map<String, JsonObject> special = new java.util.HashMap<>();
      special.put("stale", Report.itemRefused("stale", new io.heady.common.protocol.ApiException(
          io.heady.common.protocol.ErrorCode.STALE_LEASE, "lease revoked")));
      if (n == 2) {
        special.put("busy", Report.itemRefused("busy", new io.heady.common.protocol.ApiException(
            io.heady.common.protocol.ErrorCode.STORE_UNAVAILABLE, "store down")));
      }
      return answer(r, special);
    }));
    await(() -> reports.size() == 0, "every result settled");
    long staleSends = sent.stream().flatMap(r -> r.results().stream()).filter(c -> c.taskId().equals("stale"))
        .count();
    long busySends = sent.stream().flatMap(r -> r.results().stream()).filter(c -> c.taskId().equals("busy"))
        .count();
    assertEquals(2, staleSends, "sent again after the failed report, then settled by the 409");
    assertEquals(3, busySends, "the 503 for it alone sent it once more");
    assertFalse(reports.pendingIds().contains("busy"));
  }
}
