package io.heady.manager.store;

import static io.heady.manager.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import io.heady.common.protocol.TaskSpec;
import io.heady.common.protocol.Usage;
import io.heady.manager.task.AttemptAccounting;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ClusterStore} must do. A store's test extends this and says how to open a fresh, empty
 * store on the test's {@link #clock}; every test here then runs against it.
 */
public abstract class ClusterStoreContract {
  /** Every store under test times finished tasks by this clock. */
  protected final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final List<ClusterStore> opened = new ArrayList<>();
  protected ClusterStore store;

  /** A fresh, empty store with this retention, timing by {@link #clock}. */
  protected abstract ClusterStore open(Retention retention);

  /**
   * A second store on the same data, as a second manager would open it; {@code null} for a store whose data
   * lives in its own process (memory), which skips the parts of tests about two managers.
   */
  protected ClusterStore sameDataAs(ClusterStore first) {
    return null;
  }

  @BeforeEach
  void openStore() {
    store = track(open(Retention.NONE));
  }

  @AfterEach
  void closeStores() {
    opened.forEach(s -> result(s.close()));
  }

  private ClusterStore track(ClusterStore s) {
    opened.add(s);
    return s;
  }

  // ---- documents ---------------------------------------------------------------------------------------

  static JsonObject task(String id, long seq, String status) {
    return new JsonObject()
        .put("task_id", id)
        .put("seq", seq)
        .put("status", status)
        .put("type", "general")
        .put("priority", "P2")
        .put("command", "echo 'héllo' \"wörld\" ✓ && exit 0")
        .put("node_id", null)
        .put("attempt", 1)
        .put("result", new JsonObject().put("stdout", "line 1\nline 2\n").put("stderr", "").put("truncated", false))
        .put("depends_on", new JsonArray().add("a").add("b"))
        .put("created_at", "2030-01-01T00:00:00Z")
        .put("spec", new JsonObject().put("env", new JsonObject().put("K", "v")).put("timeout_ms", 60_000L));
  }

  static JsonObject node(String id, int running) {
    return new JsonObject().put("node_id", id).put("name", "box-" + id).put("tier", "STANDARD")
        .put("status", "active").put("running", running)
        .put("hardware", new JsonObject().put("cpu_cores", 8).put("ram_gb", 16.0))
        .put("capabilities", new JsonArray().add("docker").add("git"));
  }

  private static List<String> ids(List<JsonObject> docs) {
    return docs.stream().map(d -> d.getString("task_id")).collect(Collectors.toList());
  }

  private static Map<String, JsonObject> byId(List<JsonObject> docs, String key) {
    Map<String, JsonObject> m = new HashMap<>();
    docs.forEach(d -> m.put(d.getString(key), d));
    return m;
  }

  // ---- nodes -------------------------------------------------------------------------------------------

  @Test
  void nodesAreSavedReadReplacedAndDeleted() {
    assertTrue(result(store.nodes()).isEmpty());
    result(store.saveNodes(List.of(node("n1", 0), node("n2", 1))));
    Map<String, JsonObject> nodes = byId(result(store.nodes()), "node_id");
    assertEquals(Set.of("n1", "n2"), nodes.keySet());
    assertEquals(node("n2", 1), nodes.get("n2"));

    result(store.saveNodes(List.of(node("n1", 3))));
    nodes = byId(result(store.nodes()), "node_id");
    assertEquals(2, nodes.size());
    assertEquals(3, nodes.get("n1").getInteger("running"));

    result(store.deleteNode("n1"));
    result(store.deleteNode("never-there"));
    assertEquals(Set.of("n2"), byId(result(store.nodes()), "node_id").keySet());
    result(store.saveNodes(List.of()));
  }

  @Test
  void returnedDocumentsAreCopies() {
    JsonObject n = node("n1", 0);
    result(store.saveNodes(List.of(n)));
    n.put("running", 99);
    result(store.nodes()).get(0).put("running", 98);
    assertEquals(0, result(store.nodes()).get(0).getInteger("running"));

    // a saved task document belongs to the store (the contract lets it keep it); what it returns is a copy
    result(store.saveTasks(List.of(task("t1", 1, "queued"))));
    result(store.task("t1")).put("status", "failed");
    assertEquals("queued", result(store.task("t1")).getString("status"));
  }

  @Test
  void aNodeWithoutIdIsRefused() {
    Throwable e = Await.failure(store.saveNodes(List.of(node("ok", 0), new JsonObject().put("name", "x"))),
        Await.DEADLINE);
    assertInstanceOf(IllegalArgumentException.class, e);
    assertTrue(result(store.nodes()).isEmpty(), "nothing of the refused batch was written");
  }

  // ---- tasks -------------------------------------------------------------------------------------------

  @Test
  void aTaskRoundTripsWhole() {
    assertNull(result(store.task("nope")));
    JsonObject t = task("t1", 7, "queued");
    result(store.saveTasks(List.of(t)));
    assertEquals(t, result(store.task("t1")));
  }

  /**
   * A real task record whose attempt ran contained and was measured (limits, usage, enforcement), and a node
   * that reported its containment: the store keeps them, in the task, in the history and across a reopen.
   */
  @Test
  void limitsUsageAndContainmentAreKeptWithTheTaskItsHistoryAndTheNode() {
    Instant t0 = clock.instant();
    TaskRecord t = new TaskRecord("oom", TaskSpec
        .fromJson(new JsonObject().put("command", "python eat.py").put("limits", new JsonObject().put("memory_mb", 64))
            .put("run_as", "builder")), 5, null, t0);
    t.start(TaskState.QUEUED, t0);
    t.limits(new Limits(64, 0, 256, 0));
    t.newAttempt("l1", "pi", t0);
    t.moveTo(TaskState.DISPATCHED, t0, null);
    Usage used = new Usage(0.75, 0.5, 67_108_864L, 0, 4096);
    Enforcement how = new Enforcement("cgroup1", "heady-task",
        new Limits(64, 0, 256, 0), null);
    AttemptAccounting.Outcome o = AttemptAccounting.completed(t,
        new Completion("oom", "pi", "l1", "failed", 137, 900, "", "", false, null,
            "out_of_memory", used, how), t0.plusSeconds(1));
    t.moveTo(TaskState.FAILED, t0.plusSeconds(1), o.failure());
    JsonObject doc = t.toJson();
    result(store.saveTasks(List.of(doc)));

    for (JsonObject back : List.of(result(store.task("oom")), result(store.history(10, 0)).get(0))) {
      assertEquals(used.toJson(), back.getJsonArray("attempts").getJsonObject(0).getJsonObject("usage"));
      assertEquals(how.toJson(), back.getJsonArray("attempts").getJsonObject(0).getJsonObject("enforcement"));
      assertEquals(used.toJson(), back.getJsonObject("usage"));
      assertEquals(doc.getJsonObject("limits"), back.getJsonObject("limits"));
      assertTrue(back.getString("reason").startsWith("out_of_memory"), back.getString("reason"));
      TaskRecord again = TaskRecord.fromJson(back);
      assertEquals(used, again.attempts().get(0).usage(), "a manager reading it back has the same usage");
      assertEquals(how, again.attempts().get(0).enforcement());
      assertEquals("builder", again.spec().runAs());
    }

    JsonObject pi = node("pi", 0).put("containment", how.toJson());
    result(store.saveNodes(List.of(pi)));
    assertEquals(how.toJson(), byId(result(store.nodes()), "node_id").get("pi").getJsonObject("containment"));
    ClusterStore second = sameDataAs(store);
    if (second != null) {
      track(second);
      assertEquals(used.toJson(), result(second.task("oom")).getJsonObject("usage"), "another manager reads it");
      assertEquals(how.toJson(), byId(result(second.nodes()), "node_id").get("pi").getJsonObject("containment"));
    }
  }

  @Test
  void unfinishedTasksComeBackInSeqOrderAndLeaveWhenFinished() {
    List<Long> seqs = new ArrayList<>(LongRange.of(1, 40));
    Collections.shuffle(seqs, new Random(7));
    // saved out of order, over several batches
    for (int i = 0; i < seqs.size(); i += 7) {
      List<JsonObject> batch = new ArrayList<>();
      for (long s : seqs.subList(i, Math.min(seqs.size(), i + 7))) {
        batch.add(task("t" + s, s, s % 3 == 0 ? "waiting" : "queued"));
      }
      result(store.saveTasks(batch));
    }
    List<JsonObject> un = result(store.unfinishedTasks());
    assertEquals(LongRange.of(1, 40), un.stream().map(d -> d.getLong("seq")).collect(Collectors.toList()));

    // moving through unfinished states keeps a task in the queue, in place
    result(store.saveTasks(List.of(task("t5", 5, "dispatched"), task("t6", 6, "running"))));
    un = result(store.unfinishedTasks());
    assertEquals(40, un.size());
    assertEquals("dispatched", un.get(4).getString("status"));
    assertEquals("running", un.get(5).getString("status"));

    // every final status takes a task out
    String[] finals = {"succeeded", "failed", "timed_out", "cancelled", "skipped"};
    List<JsonObject> done = new ArrayList<>();
    for (int i = 0; i < finals.length; i++) {
      done.add(task("t" + (10 + i), 10 + i, finals[i]));
    }
    result(store.saveTasks(done));
    un = result(store.unfinishedTasks());
    assertEquals(35, un.size());
    for (int i = 10; i < 15; i++) {
      assertFalse(ids(un).contains("t" + i), "t" + i + " finished");
      assertNotNull(result(store.task("t" + i)), "a finished task is still readable");
    }
    List<Long> order = un.stream().map(d -> d.getLong("seq")).collect(Collectors.toList());
    List<Long> sorted = new ArrayList<>(order);
    Collections.sort(sorted);
    assertEquals(sorted, order);
  }

  @Test
  void tasksWithTheSameSeqAreBothKept() {
    result(store.saveTasks(List.of(task("b", 5, "queued"), task("a", 5, "queued"), task("c", 4, "queued"))));
    assertEquals(List.of("c", "a", "b"), ids(result(store.unfinishedTasks())));
  }

  @Test
  void historyIsInFinishOrderWithLimitAndPaging() {
    // seq order is not finish order: finish 20 tasks in reverse submission order, one batch each
    for (int i = 20; i >= 1; i--) {
      result(store.saveTasks(List.of(task("t" + i, i, i % 2 == 0 ? "succeeded" : "failed"))));
    }
    List<JsonObject> all = result(store.history(100, 0));
    assertEquals(IntStream.rangeClosed(1, 20).mapToObj(i -> "t" + (21 - i)).collect(Collectors.toList()), ids(all));
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i).getLong("finish_seq") > all.get(i - 1).getLong("finish_seq"), "oldest first");
    }

    List<JsonObject> last3 = result(store.history(3, 0));
    assertEquals(List.of("t3", "t2", "t1"), ids(last3));

    // page backwards with the first finish_seq of each page until nothing is left
    List<String> paged = new ArrayList<>();
    long before = 0;
    while (true) {
      List<JsonObject> page = result(store.history(6, before));
      if (page.isEmpty()) {
        break;
      }
      assertTrue(page.size() <= 6);
      List<String> p = ids(page);
      p.addAll(paged);
      paged = p;
      before = page.get(0).getLong("finish_seq");
    }
    assertEquals(ids(all), paged);
    assertTrue(result(store.history(0, 0)).isEmpty());
    assertTrue(result(store.history(5, all.get(0).getLong("finish_seq"))).isEmpty());
    assertEquals(all.get(3).getString("status"), result(store.task(all.get(3).getString("task_id")))
        .getString("status"));
  }

  @Test
  void aTaskSavedTwiceIsOneTaskWithOneHistoryEntry() {
    List<JsonObject> batch = List.of(task("a", 1, "queued"), task("b", 2, "succeeded"));
    result(store.saveTasks(batch));
    result(store.saveTasks(batch));
    assertEquals(List.of("a"), ids(result(store.unfinishedTasks())));
    assertEquals(List.of("b"), ids(result(store.history(10, 0))));
    long pos = result(store.history(10, 0)).get(0).getLong("finish_seq");

    // a finished task written again (a retried batch, a later field change) keeps its place in the history
    result(store.saveTasks(List.of(task("c", 3, "failed"))));
    result(store.saveTasks(List.of(task("b", 2, "succeeded").put("exit_code", 0))));
    List<JsonObject> h = result(store.history(10, 0));
    assertEquals(List.of("b", "c"), ids(h));
    assertEquals(pos, h.get(0).getLong("finish_seq"));
    assertEquals(0, h.get(0).getInteger("exit_code"));
  }

  @Test
  void theLastDocumentWinsEvenAFinishedTaskSavedUnfinished() {
    result(store.saveTasks(List.of(task("a", 1, "succeeded"))));
    result(store.saveTasks(List.of(task("a", 1, "queued"))));
    assertEquals(List.of("a"), ids(result(store.unfinishedTasks())));
    assertTrue(result(store.history(10, 0)).isEmpty());
    TaskQuery succeeded = TaskQuery.all(10).withStatuses(Set.of("succeeded"));
    assertTrue(result(store.tasks(succeeded)).tasks().isEmpty());
    assertEquals(List.of("a"), ids(result(store.tasks(TaskQuery.all(10).withStatuses(Set.of("queued")))).tasks()));
    result(store.saveTasks(List.of(task("a", 1, "failed"))));
    assertTrue(result(store.unfinishedTasks()).isEmpty());
    assertEquals(List.of("a"), ids(result(store.history(10, 0))));
    assertTrue(result(store.tasks(succeeded)).tasks().isEmpty());
    assertEquals(List.of("a"), ids(result(store.tasks(TaskQuery.all(10).withStatuses(Set.of("failed")))).tasks()));
  }

  @Test
  void aBatchWithABadDocumentWritesNothing() {
    List<JsonObject> bad = List.of(task("ok", 1, "queued"), task("noseq", 2, "queued").putNull("seq"));
    assertInstanceOf(IllegalArgumentException.class, Await.failure(store.saveTasks(bad), Await.DEADLINE));
    List<JsonObject> noId = List.of(task("ok", 1, "queued"), task("x", 2, "queued").putNull("task_id"));
    assertInstanceOf(IllegalArgumentException.class, Await.failure(store.saveTasks(noId), Await.DEADLINE));
    List<JsonObject> noStatus = List.of(task("ok", 1, "queued"), task("y", 3, "queued").putNull("status"));
    assertInstanceOf(IllegalArgumentException.class, Await.failure(store.saveTasks(noStatus), Await.DEADLINE));
    assertNull(result(store.task("ok")));
    assertTrue(result(store.unfinishedTasks()).isEmpty());
    result(store.saveTasks(List.of()));
  }

  @Test
  void aBatchOf1000TasksLandsWhole() {
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      batch.add(task("bulk-" + i, i, "queued"));
    }
    result(store.saveTasks(batch));
    List<JsonObject> un = result(store.unfinishedTasks());
    assertEquals(1000, un.size());
    assertEquals("bulk-1", un.get(0).getString("task_id"));
    assertEquals("bulk-1000", un.get(999).getString("task_id"));
    assertEquals(batch.get(499), un.get(499));

    List<JsonObject> done = new ArrayList<>();
    batch.forEach(t -> done.add(t.copy().put("status", "succeeded")));
    result(store.saveTasks(done));
    assertTrue(result(store.unfinishedTasks()).isEmpty());
    List<JsonObject> h = result(store.history(1000, 0));
    assertEquals(1000, h.size());
    assertEquals(ids(batch), ids(h), "a batch finishes in its own order");
  }

  @Test
  void concurrentBatchesEndConsistent() throws Exception {
    int threads = 6;
    int batches = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        int worker = w;
        jobs.add(pool.submit(() -> {
          List<Future<Void>> writes = new ArrayList<>();
          for (int b = 0; b < batches; b++) {
            List<JsonObject> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
              long seq = (long) worker * 10_000 + b * 10 + i;
              batch.add(task("w" + worker + "-" + b + "-" + i, seq, i % 2 == 0 ? "queued" : "succeeded"));
            }
            // and a few tasks every worker writes, in different states: last writer wins, indexes agree
            batch.add(task("shared-" + (b % 5), b % 5, (worker + b) % 2 == 0 ? "running" : "failed"));
            writes.add(store.saveTasks(batch)); // not awaited: many in flight at once
            if (b % 5 == 0) {
              writes.add(store.saveCounters(new JsonObject().put("worker", worker).put("b", b)));
            }
          }
          writes.forEach(Await::result);
        }));
      }
      for (var j : jobs) {
        j.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<JsonObject> un = result(store.unfinishedTasks());
    List<JsonObject> hist = result(store.history(100_000, 0));
    Set<String> unIds = new HashSet<>(ids(un));
    Set<String> histIds = new HashSet<>(ids(hist));
    assertEquals(un.size(), unIds.size(), "no task twice in the queue");
    assertEquals(hist.size(), histIds.size(), "no task twice in the history");
    assertEquals(threads * batches * 8 + 5, unIds.size() + histIds.size());
    for (int w = 0; w < threads; w++) {
      for (int b = 0; b < batches; b++) {
        for (int i = 0; i < 8; i++) {
          String id = "w" + w + "-" + b + "-" + i;
          assertTrue(i % 2 == 0 ? unIds.contains(id) : histIds.contains(id), id);
        }
      }
    }
    for (int s = 0; s < 5; s++) {
      String id = "shared-" + s;
      JsonObject doc = result(store.task(id));
      boolean finished = doc.getString("status").equals("failed");
      assertEquals(finished, histIds.contains(id), id + " is in the history exactly when its document is final");
      assertEquals(!finished, unIds.contains(id), id + " is queued exactly when its document is not final");
    }
    List<Long> seqs = un.stream().map(d -> d.getLong("seq")).collect(Collectors.toList());
    List<Long> sorted = new ArrayList<>(seqs);
    Collections.sort(sorted);
    assertEquals(sorted, seqs);
    assertTrue(result(store.counters()).containsKey("worker"));
  }

  // ---- lists by seq ------------------------------------------------------------------------------------

  /** Every page of a query from the start, checked as it goes: no page over its limit, a bounded count. */
  private static List<List<JsonObject>> pages(ClusterStore s, TaskQuery q, int maxPages) {
    List<List<JsonObject>> out = new ArrayList<>();
    TaskQuery next = q;
    while (true) {
      TaskPage p = result(s.tasks(next));
      assertTrue(p.tasks().size() <= q.limit(), "a page holds at most its limit");
      out.add(p.tasks());
      if (p.next() == null) {
        return out;
      }
      assertTrue(out.size() < maxPages, "more than " + maxPages + " pages for " + q);
      next = next.withAfter(p.next());
    }
  }

  private static List<String> listed(List<List<JsonObject>> pages) {
    List<String> ids = new ArrayList<>();
    pages.forEach(p -> ids.addAll(ids(p)));
    return ids;
  }

  /** The tasks a query should list, in its order, from the documents last saved. */
  private static List<String> expected(Map<String, JsonObject> saved, TaskQuery q) {
    List<JsonObject> docs = new ArrayList<>(saved.values());
    docs.removeIf(d -> !q.matches(d));
    docs.sort(Comparator.comparing(d -> new TaskPosition(d.getLong("seq"), d.getString("task_id"))));
    if (q.newestFirst()) {
      Collections.reverse(docs);
    }
    return ids(docs);
  }

  private static JsonObject ran(JsonObject task, String nodeId, String nodeName, String type) {
    return task.put("node_id", nodeId).put("node_name", nodeName).put("type", type);
  }

  @Test
  void listsPageEveryMatchingTaskOnceInSeqOrderEitherWay() {
    String[] statuses = {"waiting", "queued", "dispatched", "running", "succeeded", "failed", "timed_out",
        "cancelled", "skipped"};
    String[][] nodes = {{"n1", "box one"}, {"n2", "box-two"}, {null, null}};
    Map<String, JsonObject> saved = new LinkedHashMap<>();
    List<Long> seqs = new ArrayList<>(LongRange.of(1, 45));
    Collections.shuffle(seqs, new Random(11));
    for (long seq : seqs) {
      String[] n = nodes[(int) (seq % 3)];
      saved.put("t" + seq, ran(task("t" + seq, seq, statuses[(int) (seq % 9)]), n[0], n[1],
          seq % 4 == 0 ? "build" : "shell"));
    }
    // two managers' runs can give two tasks one seq: both are listed, in id order
    saved.put("a-tie", ran(task("a-tie", 20, "succeeded"), "n1", "box one", "shell"));
    saved.put("z-tie", ran(task("z-tie", 20, "queued"), "n2", "box-two", "shell"));
    List<JsonObject> docs = new ArrayList<>(saved.values());
    for (int i = 0; i < docs.size(); i += 6) {
      // first saved unfinished, then in their final state: every task moves between indexes once
      List<JsonObject> batch = docs.subList(i, Math.min(docs.size(), i + 6));
      List<JsonObject> early = new ArrayList<>();
      batch.forEach(d -> early.add(d.copy().put("status", "queued")));
      result(store.saveTasks(early));
      List<JsonObject> copies = new ArrayList<>();
      batch.forEach(d -> copies.add(d.copy()));
      result(store.saveTasks(copies));
    }

    List<TaskQuery> queries = List.of(
        TaskQuery.all(4),
        TaskQuery.all(4).withStatuses(Set.of("succeeded")),
        TaskQuery.all(4).withStatuses(Set.of("failed", "cancelled")),
        TaskQuery.all(4).withStatuses(Set.of("queued")),
        TaskQuery.all(4).withStatuses(Set.of("queued", "running", "succeeded")),
        TaskQuery.all(4).withStatuses(Set.of("waiting", "queued", "dispatched", "running")),
        TaskQuery.all(4).withNode("n1"),
        TaskQuery.all(4).withNode("box-two"),
        TaskQuery.all(4).withType("build"),
        TaskQuery.all(4).withStatuses(Set.of("succeeded")).withNode("n2").withType("shell"),
        TaskQuery.all(1).withStatuses(Set.of("skipped", "timed_out")),
        TaskQuery.all(200),
        TaskQuery.all(3).withNode("nowhere"));
    for (TaskQuery base : queries) {
      for (boolean newest : new boolean[] {false, true}) {
        TaskQuery q = base.withNewestFirst(newest);
        List<List<JsonObject>> ps = pages(store, q, 60);
        assertEquals(expected(saved, q), listed(ps), q.toString());
        for (int i = 0; i + 1 < ps.size(); i++) {
          // fewer documents than MAX_SCAN in all: no store has a reason to stop short
          assertEquals(q.limit(), ps.get(i).size(), "page " + i + " of " + q + " is full");
        }
        for (List<JsonObject> p : ps) {
          for (JsonObject d : p) {
            assertEquals(saved.get(d.getString("task_id")), d, "the document as last saved");
          }
        }
      }
    }
    assertTrue(expected(saved, TaskQuery.all(4).withStatuses(Set.of("succeeded"))).contains("a-tie"));
  }

  @Test
  void aListCursorStaysPutWhileTasksAreSavedAroundIt() {
    List<JsonObject> first = new ArrayList<>();
    for (long seq = 1; seq <= 20; seq++) {
      first.add(task("t" + seq, seq, seq % 2 == 0 ? "succeeded" : "queued"));
    }
    result(store.saveTasks(first));
    TaskQuery q = TaskQuery.all(5).withStatuses(Set.of("succeeded")).withNewestFirst(true);
    TaskPage p1 = result(store.tasks(q));
    assertEquals(List.of("t20", "t18", "t16", "t14", "t12"), ids(p1.tasks()));

    // a newer task, and one finishing behind the cursor: both at positions the pages have passed
    result(store.saveTasks(List.of(task("t30", 30, "succeeded"), task("t13", 13, "succeeded"))));
    // one finishing ahead of the cursor, and one leaving the status there
    result(store.saveTasks(List.of(task("t7", 7, "succeeded"), task("t4", 4, "queued"))));
    List<String> rest = listed(pages(store, q.withAfter(p1.next()), 10));
    assertEquals(List.of("t10", "t8", "t7", "t6", "t2"), rest);
    // a cursor is plain text: it survives a round trip through a client
    assertEquals(p1.next(), TaskPosition.parse(p1.next().cursor()));
  }

  @Test
  void listsByTimeTakeTheWindowInEitherOrderAndEndPastIt() {
    Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
    int n = ClusterStore.MAX_SCAN * 2 + 30;
    Map<String, JsonObject> saved = new LinkedHashMap<>();
    for (int i = 1; i <= n; i++) {
      // a minute apart, in submission order, as a leader numbers them; a third still queued
      saved.put("w" + i, task("w" + i, i, i % 3 == 0 ? "queued" : "succeeded")
          .put("created_at", t0.plusSeconds(60L * i).toString()));
    }
    List<JsonObject> docs = new ArrayList<>(saved.values());
    for (int i = 0; i < docs.size(); i += 100) {
      List<JsonObject> copies = new ArrayList<>();
      docs.subList(i, Math.min(docs.size(), i + 100)).forEach(d -> copies.add(d.copy()));
      result(store.saveTasks(copies));
    }
    Instant lastTwenty = t0.plusSeconds(60L * (n - 19));
    Instant from = t0.plusSeconds(60L * 10);
    Instant to = t0.plusSeconds(60L * 30); // not included: tasks w10 to w29
    List<TaskQuery> queries = List.of(
        TaskQuery.all(50).withWindow(lastTwenty, null),
        TaskQuery.all(7).withWindow(lastTwenty, null),
        TaskQuery.all(50).withWindow(from, to),
        TaskQuery.all(6).withWindow(from, to).withStatuses(Set.of("succeeded")),
        TaskQuery.all(50).withWindow(null, to).withStatuses(Set.of("queued")),
        TaskQuery.all(4).withWindow(from, to).withType("general"));
    for (TaskQuery base : queries) {
      for (boolean newest : new boolean[] {false, true}) {
        TaskQuery q = base.withNewestFirst(newest);
        assertEquals(expected(saved, q), listed(pages(store, q, 20)), q.toString());
      }
    }
    assertEquals(20, expected(saved, queries.get(0)).size());
    assertEquals(20, expected(saved, queries.get(2)).size());

    // newest first, a list since a time ends past it: one page, no cursor into the hundreds of older tasks
    TaskPage recent = result(store.tasks(queries.get(0).withNewestFirst(true)));
    assertEquals(20, recent.tasks().size());
    assertEquals("w" + n, recent.tasks().get(0).getString("task_id"));
    assertNull(recent.next(), "nothing older is in the window");
    // oldest first, a list until a time ends past it the same way
    TaskPage early = result(store.tasks(TaskQuery.all(50).withWindow(null, to)));
    assertEquals(29, early.tasks().size());
    assertNull(early.next(), "nothing newer is in the window");
  }

  @Test
  void aLongPageIsCutAtTheScanBoundAndContinues() {
    int n = ClusterStore.MAX_SCAN * 2 + 50;
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      batch.add(task("s" + i, i, "succeeded"));
    }
    result(store.saveTasks(batch));
    TaskQuery q = TaskQuery.all(TaskQuery.MAX_LIMIT).withStatuses(Set.of("succeeded"));
    TaskPage first = result(store.tasks(q));
    assertEquals(ClusterStore.MAX_SCAN, first.tasks().size(), "one call reads at most MAX_SCAN documents");
    assertEquals(new TaskPosition(ClusterStore.MAX_SCAN, "s" + ClusterStore.MAX_SCAN), first.next());
    List<List<JsonObject>> ps = pages(store, q, 4);
    assertEquals(3, ps.size());
    assertEquals(n, new HashSet<>(listed(ps)).size());
  }

  @Test
  void aFilterOnTheDocumentsReadsABoundedNumberPerCall() {
    int n = ClusterStore.MAX_SCAN * 2 + 10;
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      batch.add(ran(task("c" + i, i, "succeeded"), "n1", "box", "common"));
    }
    batch.add(ran(task("rare", n + 1, "succeeded"), "n1", "box", "rare"));
    result(store.saveTasks(batch));
    TaskQuery q = TaskQuery.all(10).withType("rare");
    TaskPage first = result(store.tasks(q));
    assertTrue(first.tasks().isEmpty(), "the rare task lies beyond the first MAX_SCAN documents");
    assertNotNull(first.next(), "a short page says where to go on");
    List<List<JsonObject>> ps = pages(store, q, 4);
    assertEquals(List.of("rare"), listed(ps));
    assertEquals(List.of("rare"), listed(pages(store, q.withNewestFirst(true), 4)));
  }

  @Test
  void theHighestSeqOnlyGrows() {
    ClusterStore s = track(open(new Retention(1, null)));
    assertEquals(0L, result(s.highestSeq()));
    result(s.saveTasks(List.of(task("a", 7, "queued"), task("b", 3, "queued"))));
    assertEquals(7L, result(s.highestSeq()));
    result(s.saveTasks(List.of(task("c", 12, "succeeded"), task("d", 5, "failed"))));
    assertEquals(12L, result(s.highestSeq()));
    assertNull(result(s.task("c")), "retention removed the task");
    result(s.expireFinished());
    assertEquals(12L, result(s.highestSeq()), "its seq stays taken");
    assertEquals(List.of("d"), ids(result(s.tasks(TaskQuery.all(10).withStatuses(Set.of("succeeded", "failed"))))
        .tasks()));
  }

  // ---- counters ----------------------------------------------------------------------------------------

  @Test
  void countersAreASnapshotWrittenWhole() {
    assertEquals(new JsonObject(), result(store.counters()));
    JsonObject c = new JsonObject().put("routed", 10L).put("completed", 7L).put("failed", 1L)
        .put("by_priority", new JsonObject().put("P0", 2));
    result(store.saveCounters(c));
    assertEquals(c, result(store.counters()));
    result(store.saveCounters(new JsonObject().put("routed", 11L)));
    assertEquals(new JsonObject().put("routed", 11L), result(store.counters()));
  }

  // ---- retention ---------------------------------------------------------------------------------------

  @Test
  void retentionByCountKeepsTheLastFinished() {
    ClusterStore s = track(open(new Retention(5, null)));
    result(s.saveTasks(List.of(task("q", 100, "queued"))));
    for (int i = 1; i <= 8; i++) {
      result(s.saveTasks(List.of(task("t" + i, i, "succeeded"))));
    }
    assertEquals(List.of("t4", "t5", "t6", "t7", "t8"), ids(result(s.history(100, 0))));
    assertEquals(List.of("t4", "t5", "t6", "t7", "t8", "q"), ids(result(s.tasks(TaskQuery.all(100))).tasks()),
        "expired tasks leave the lists too");
    for (int i = 1; i <= 3; i++) {
      assertNull(result(s.task("t" + i)), "t" + i + " expired");
    }
    assertNotNull(result(s.task("t4")));
    assertEquals(List.of("q"), ids(result(s.unfinishedTasks())), "unfinished tasks never expire");

    // one big batch over the limit trims to the limit too
    List<JsonObject> many = new ArrayList<>();
    for (int i = 9; i <= 30; i++) {
      many.add(task("t" + i, i, "failed"));
    }
    result(s.saveTasks(many));
    assertEquals(List.of("t26", "t27", "t28", "t29", "t30"), ids(result(s.history(100, 0))));
    assertEquals(0, result(s.expireFinished()));
  }

  @Test
  void retentionByAgeRemovesTasksFinishedTooLongAgo() {
    ClusterStore s = track(open(new Retention(0, Duration.ofHours(1))));
    result(s.saveTasks(List.of(task("a", 1, "succeeded"), task("b", 2, "failed"), task("c", 3, "cancelled"),
        task("q", 4, "running"))));
    clock.advance(Duration.ofMinutes(30));
    result(s.saveTasks(List.of(task("d", 5, "succeeded"), task("e", 6, "skipped"))));
    clock.advance(Duration.ofMinutes(29));
    assertEquals(0, result(s.expireFinished()), "nothing is an hour old yet");
    clock.advance(Duration.ofMinutes(1));
    assertEquals(3, result(s.expireFinished()), "a, b and c finished an hour ago");
    assertEquals(List.of("d", "e"), ids(result(s.history(100, 0))));
    assertNull(result(s.task("a")));
    assertNotNull(result(s.task("d")));

    // saving applies the same retention
    clock.advance(Duration.ofMinutes(30));
    result(s.saveTasks(List.of(task("f", 7, "succeeded"))));
    assertEquals(List.of("f"), ids(result(s.history(100, 0))));
    assertEquals(List.of("f"), ids(result(s.tasks(TaskQuery.all(100).withStatuses(Set.of("succeeded", "failed",
        "cancelled", "skipped")))).tasks()));
    assertEquals(List.of("q"), ids(result(s.unfinishedTasks())), "a task still running never expires");
    clock.advance(Duration.ofDays(30));
    assertEquals(1, result(s.expireFinished()));
    assertEquals(List.of("q"), ids(result(s.unfinishedTasks())));
  }

  @Test
  void noRetentionKeepsEverything() {
    for (int i = 1; i <= 50; i++) {
      result(store.saveTasks(List.of(task("t" + i, i, "succeeded"))));
    }
    clock.advance(Duration.ofDays(3650));
    assertEquals(0, result(store.expireFinished()));
    assertEquals(50, result(store.history(1000, 0)).size());
  }

  // ---- leadership --------------------------------------------------------------------------------------

  @Test
  void oneManagerLeadsUntilItResigns() {
    assertNull(result(store.leader()));
    assertTrue(result(store.tryLead("m1", Duration.ofMinutes(1))));
    assertTrue(result(store.tryLead("m1", Duration.ofMinutes(1))), "renewal");
    assertEquals("m1", result(store.leader()));
    result(store.saveTasks(List.of(task("a", 1, "queued"))));

    ClusterStore other = sameDataAs(store);
    boolean shared = other != null;
    if (shared) {
      track(other);
      assertEquals("m1", result(other.leader()));
    }
    if (shared) { // stores that share state (Redis): the second manager is refused while m1 leads
      assertFalse(result(other.tryLead("m2", Duration.ofMinutes(1))));
      assertInstanceOf(NotLeaderException.class, Await.failure(
          other.saveTasks(List.of(task("b", 2, "queued"))), Await.DEADLINE));
      assertNull(result(store.task("b")), "a refused write lands nothing");
    }
    result(store.resign("m2")); // not the holder: nothing happens
    assertEquals("m1", result(store.leader()));
    result(store.resign("m1"));
    assertNull(result(store.leader()));
    NotLeaderException e = assertInstanceOf(NotLeaderException.class,
        Await.failure(store.saveTasks(List.of(task("c", 3, "queued"))), Await.DEADLINE));
    assertNull(e.leader());
    assertNull(result(store.task("c")));
    if (shared) {
      assertTrue(result(other.tryLead("m2", Duration.ofMinutes(1))));
      result(other.saveTasks(List.of(task("b", 2, "queued"))));
      assertEquals("m2", assertInstanceOf(NotLeaderException.class,
          Await.failure(store.saveCounters(new JsonObject()), Await.DEADLINE)).leader());
    }
    assertEquals(shared ? List.of("a", "b") : List.of("a"), ids(result(store.unfinishedTasks())));
  }

  @Test
  void theLeadersUrlIsKeptWithItsLeaseAndGoesWithIt() {
    assertNull(result(store.leaderUrl()), "no leader, no URL");
    assertTrue(result(store.tryLead("m1", Duration.ofMinutes(1))));
    assertNull(result(store.leaderUrl()), "a leader that gave none");
    assertTrue(result(store.tryLead("m1", "http://10.0.0.5:7070", Duration.ofMinutes(1))));
    assertEquals("http://10.0.0.5:7070", result(store.leaderUrl()));
    ClusterStore other = sameDataAs(store);
    if (other != null) { // a standby on the same store reads it, and cannot replace it while m1 leads
      track(other);
      assertEquals("http://10.0.0.5:7070", result(other.leaderUrl()));
      assertFalse(result(other.tryLead("m2", "http://10.0.0.6:7070", Duration.ofMinutes(1))));
      assertEquals("http://10.0.0.5:7070", result(other.leaderUrl()));
    }
    result(store.resign("m1"));
    assertNull(result(store.leaderUrl()), "the URL goes with the lease");
    if (other != null) {
      assertTrue(result(other.tryLead("m2", "http://10.0.0.6:7070", Duration.ofMinutes(1))));
      assertEquals("http://10.0.0.6:7070", result(store.leaderUrl()));
    }
  }

  // ---- health ------------------------------------------------------------------------------------------

  @Test
  void pingAndDescribe() {
    result(store.ping());
    assertFalse(store.describe().isBlank());
  }

  /** Inclusive ranges of longs. */
  private static final class LongRange {
    static List<Long> of(long from, long to) {
      List<Long> out = new ArrayList<>();
      for (long i = from; i <= to; i++) {
        out.add(i);
      }
      return out;
    }
  }

  // ---- identity and enrollments ------------------------------------------------------------------------

  @Test
  void theFirstIdentitySavedIsTheOneKept() {
    assertNull(result(store.identity()));
    JsonObject first = new JsonObject().put("ca", "first");
    assertEquals(first, result(store.saveIdentityIfAbsent(first)));
    assertEquals(first, result(store.saveIdentityIfAbsent(new JsonObject().put("ca", "second"))),
        "a second manager gets the first one's identity");
    assertEquals(first, result(store.identity()));
    ClusterStore other = sameDataAs(store);
    if (other != null) {
      track(other);
      assertEquals(first, result(other.identity()), "shared by the managers on the same data");
    }
  }

  @Test
  void enrollmentsAreSavedReplacedAndDeletedByNodeId() {
    assertTrue(result(store.enrollments()).isEmpty());
    result(store.saveEnrollment(new JsonObject().put("node_id", "a").put("status", "pending_approval")));
    result(store.saveEnrollment(new JsonObject().put("node_id", "b").put("status", "enrolled")));
    result(store.saveEnrollment(new JsonObject().put("node_id", "a").put("status", "enrolled")));
    List<JsonObject> all = result(store.enrollments());
    assertEquals(2, all.size());
    assertTrue(all.stream().allMatch(e -> "enrolled".equals(e.getString("status"))), all.toString());
    result(store.deleteEnrollment("a"));
    assertEquals(List.of("b"), result(store.enrollments()).stream().map(e -> e.getString("node_id")).toList());
  }

  // ---- secrets -------------------------------------------------------------------------------------------

  @Test
  void theFirstSecretsKeySavedIsTheOneKept() {
    assertNull(result(store.secretsKey()));
    JsonObject first = new JsonObject().put("key", "Zmlyc3Q=").put("id", "1");
    assertEquals(first, result(store.saveSecretsKeyIfAbsent(first)));
    assertEquals(first, result(store.saveSecretsKeyIfAbsent(new JsonObject().put("key", "c2Vjb25k").put("id", "2"))),
        "a second manager gets the first one's key");
    assertEquals(first, result(store.secretsKey()));
    assertNull(result(store.identity()), "apart from the cluster's identity");
    ClusterStore other = sameDataAs(store);
    if (other != null) {
      track(other);
      assertEquals(first, result(other.secretsKey()), "shared by the managers on the same data");
    }
  }

  @Test
  void secretsAreSavedReplacedReadAndDeletedByName() {
    assertTrue(result(store.secrets()).isEmpty());
    assertNull(result(store.secret("A")));
    result(store.saveSecret(new JsonObject().put("name", "A").put("ciphertext", "c1")));
    result(store.saveSecret(new JsonObject().put("name", "B").put("ciphertext", "c2")));
    result(store.saveSecret(new JsonObject().put("name", "A").put("ciphertext", "c3")));
    assertEquals(new JsonObject().put("name", "A").put("ciphertext", "c3"), result(store.secret("A")));
    assertEquals(Set.of("A", "B"), result(store.secrets()).stream().map(d -> d.getString("name"))
        .collect(Collectors.toSet()));
    assertTrue(result(store.deleteSecret("A")));
    assertFalse(result(store.deleteSecret("A")), "gone already");
    assertNull(result(store.secret("A")));
    assertEquals(List.of("B"), result(store.secrets()).stream().map(d -> d.getString("name")).toList());
    ClusterStore other = sameDataAs(store);
    if (other != null) {
      track(other);
      assertEquals("c2", result(other.secret("B")).getString("ciphertext"), "shared by the managers");
    }
  }
}
