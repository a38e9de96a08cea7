package io.heady.manager.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.store.MemoryClusterStore;
import io.heady.manager.store.Retention;
import io.heady.manager.store.TaskPage;
import io.heady.manager.store.TaskPosition;
import io.heady.manager.store.TaskQuery;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lists merged from memory and the store: no task twice, none skipped, in order, whatever the overlap. */
class TaskListMergeTest {
  private static final List<String> UNFINISHED = List.of("waiting", "queued", "dispatched", "running");
  private static final List<String> FINAL = List.of("succeeded", "failed", "timed_out", "cancelled", "skipped");

  private static JsonObject task(String id, long seq, String status, String node, String type) {
    return new JsonObject().put("task_id", id).put("seq", seq).put("status", status).put("node_id", node)
        .put("node_name", node == null ? null : "name-" + node).put("type", type);
  }

  private static TaskListMerge.Entry entry(JsonObject t) {
    return new TaskListMerge.Entry(new TaskPosition(t.getLong("seq"), t.getString("task_id")), t);
  }

  private static List<TaskListMerge.Entry> entries(JsonObject... ts) {
    List<TaskListMerge.Entry> out = new ArrayList<>();
    for (JsonObject t : ts) {
      out.add(entry(t));
    }
    return out;
  }

  private static List<String> ids(List<JsonObject> ts) {
    return ts.stream().map(t -> t.getString("task_id")).collect(Collectors.toList());
  }

  @Test
  void aFullMemoryPageHoldsBackTheStoreEntriesBeyondIt() {
    TaskQuery q = TaskQuery.all(2);
    var page = TaskListMerge.merge(
        entries(task("m3", 3, "running", null, "shell"), task("m5", 5, "queued", null, "shell")),
        entries(task("s1", 1, "succeeded", null, "shell"), task("s6", 6, "failed", null, "shell")), null, q);
    assertEquals(List.of("s1", "m3"), ids(page.tasks()));
    assertEquals(new TaskPosition(3, "m3"), page.next());
  }

  @Test
  void aShortStorePageHoldsBackTheMemoryEntriesBeyondIt() {
    // the store read its bound of documents up to seq 4 and found only s2: memory's m7 must wait
    TaskQuery q = TaskQuery.all(5).withNewestFirst(false);
    var page = TaskListMerge.merge(entries(task("m1", 1, "queued", null, "shell"),
        task("m7", 7, "queued", null, "shell")), entries(task("s2", 2, "failed", null, "shell")),
        new TaskPosition(4, "s4"), q);
    assertEquals(List.of("m1", "s2"), ids(page.tasks()));
    assertEquals(new TaskPosition(4, "s4"), page.next());
  }

  @Test
  void newestFirstBoundsTheOtherWay() {
    TaskQuery q = TaskQuery.all(2).withNewestFirst(true);
    var page = TaskListMerge.merge(
        entries(task("m9", 9, "running", null, "shell"), task("m4", 4, "queued", null, "shell")),
        entries(task("s8", 8, "succeeded", null, "shell"), task("s2", 2, "failed", null, "shell")), null, q);
    assertEquals(List.of("m9", "s8"), ids(page.tasks()));
    assertEquals(new TaskPosition(8, "s8"), page.next());
  }

  @Test
  void aTaskInBothIsListedOnceAsMemoryHasIt() {
    TaskQuery q = TaskQuery.all(10);
    JsonObject mine = task("x", 3, "succeeded", "n1", "shell");
    var page = TaskListMerge.merge(entries(mine), entries(task("x", 3, "succeeded", "n2", "shell")), null, q);
    assertEquals(List.of(mine), page.tasks());
    assertNull(page.next(), "both sources are exhausted");
  }

  @Test
  void tasksSharingASeqAreOrderedByIdAndNeitherIsLost() {
    TaskQuery q = TaskQuery.all(1);
    List<String> seen = new ArrayList<>();
    TaskPosition after = null;
    for (int i = 0; i < 5; i++) {
      TaskQuery page = q.withAfter(after);
      List<TaskListMerge.Entry> mem = new ArrayList<>();
      for (var e : entries(task("b-new", 4, "queued", null, "shell"))) {
        if (page.afterCursor(e.at())) {
          mem.add(e);
        }
      }
      List<TaskListMerge.Entry> st = new ArrayList<>();
      for (var e : entries(task("a-old", 4, "succeeded", null, "shell"), task("c-old", 4, "failed", null, "shell"))) {
        if (page.afterCursor(e.at())) {
          st.add(e);
        }
      }
      var p = TaskListMerge.merge(mem, st.size() > 1 ? st.subList(0, 1) : st, st.size() > 1 ? st.get(0).at() : null,
          page);
      seen.addAll(ids(p.tasks()));
      after = p.next();
      if (after == null) {
        break;
      }
    }
    assertEquals(List.of("a-old", "b-new", "c-old"), seen);
  }

  /**
   * Random memories and stores: memory holds every unfinished task and some finished ones (its version is
   * the truth, the store's may be older); the store (a real {@link MemoryClusterStore}) holds every finished
   * task, some of them no longer in memory. Paging any query to the end lists exactly what is true.
   */
  @Test
  void pagingAnyQueryToTheEndListsEveryTrueMatchOnce() {
    for (int seed = 0; seed < 150; seed++) {
      Random r = new Random(seed);
      Map<String, JsonObject> memory = new LinkedHashMap<>();
      Map<String, JsonObject> stored = new LinkedHashMap<>();
      String[] nodes = {"n1", "n2", null};
      String[] types = {"shell", "build"};
      int n = 10 + r.nextInt(50);
      for (int i = 1; i <= n; i++) {
        boolean done = r.nextInt(3) > 0;
        String status = done ? FINAL.get(r.nextInt(FINAL.size())) : UNFINISHED.get(r.nextInt(UNFINISHED.size()));
        JsonObject t = task("t" + i, i, status, nodes[r.nextInt(3)], types[r.nextInt(2)]);
        if (!done) {
          memory.put(t.getString("task_id"), t);
          continue;
        }
        int where = r.nextInt(3); // 0: memory only (not yet written), 1: store only, 2: both
        if (where != 1) {
          memory.put(t.getString("task_id"), t);
        }
        if (where != 0) {
          // the store's copy of a task memory still holds may be older: another node, another status
          JsonObject s = where == 2 && r.nextBoolean()
              ? t.copy().put("node_id", nodes[r.nextInt(3)]).put("status", FINAL.get(r.nextInt(FINAL.size())))
              : t.copy();
          stored.put(s.getString("task_id"), s);
        }
      }
      // a task of an earlier run, in the store only, sharing a seq with one in memory
      long tieSeq = 1 + r.nextInt(n);
      stored.put("old-" + tieSeq, task("old-" + tieSeq, tieSeq, "succeeded", "n1", "shell"));
      MemoryClusterStore store = new MemoryClusterStore(Retention.NONE, Clock.systemUTC());
      store.saveTasks(new ArrayList<>(stored.values())).result();

      for (int k = 0; k < 6; k++) {
        TaskQuery q = randomQuery(r, nodes, types);
        List<String> truth = truth(memory, stored, q);
        List<String> listed = page(memory, store, q, r);
        assertEquals(truth, listed, "seed " + seed + ", " + q);
      }
    }
  }

  private static TaskQuery randomQuery(Random r, String[] nodes, String[] types) {
    Set<String> statuses = new HashSet<>();
    int pick = r.nextInt(4);
    List<String> all = new ArrayList<>(UNFINISHED);
    all.addAll(FINAL);
    for (int i = 0; i < pick; i++) {
      statuses.add(all.get(r.nextInt(all.size())));
    }
    String node = r.nextInt(3) == 0 ? (r.nextBoolean() ? "n1" : "name-n2") : null;
    String type = r.nextInt(3) == 0 ? types[r.nextInt(types.length)] : null;
    return new TaskQuery(statuses, node, type, null, r.nextBoolean(), 1 + r.nextInt(7));
  }

  private static List<String> truth(Map<String, JsonObject> memory, Map<String, JsonObject> stored, TaskQuery q) {
    List<JsonObject> all = new ArrayList<>(memory.values());
    stored.forEach((id, t) -> {
      if (!memory.containsKey(id)) {
        all.add(t);
      }
    });
    all.removeIf(t -> !q.matches(t));
    all.sort(Comparator.comparing(t -> new TaskPosition(t.getLong("seq"), t.getString("task_id"))));
    if (q.newestFirst()) {
      Collections.reverse(all);
    }
    return ids(all);
  }

  /** Pages as the list route does, with store pages cut short at random (as a bounded read may). */
  private static List<String> page(Map<String, JsonObject> memory, MemoryClusterStore store, TaskQuery q,
      Random r) {
    List<String> out = new ArrayList<>();
    TaskPosition after = null;
    for (int pages = 0; ; pages++) {
      assertTrue(pages < 500, "paging ends");
      TaskQuery pq = q.withAfter(after);
      List<JsonObject> mem = new ArrayList<>(memory.values());
      mem.removeIf(t -> !pq.matches(t) || !pq.afterCursor(entry(t).at()));
      mem.sort(Comparator.comparing(t -> entry(t).at()));
      if (pq.newestFirst()) {
        Collections.reverse(mem);
      }
      List<TaskListMerge.Entry> memPage = new ArrayList<>();
      mem.stream().limit(pq.limit()).forEach(t -> memPage.add(entry(t)));
      Set<String> finals = new HashSet<>(FINAL);
      finals.removeIf(s -> !pq.wants(s));
      TaskPage sp = finals.isEmpty() ? TaskPage.empty() : store.tasks(pq.withStatuses(finals)).result();
      List<JsonObject> st = new ArrayList<>(sp.tasks());
      TaskPosition storeNext = sp.next();
      if (st.size() > 1 && r.nextInt(3) == 0) {
        int keep = 1 + r.nextInt(st.size() - 1);
        storeNext = entry(st.get(keep - 1)).at();
        st = st.subList(0, keep);
      }
      List<TaskListMerge.Entry> old = new ArrayList<>();
      st.stream().filter(t -> !memory.containsKey(t.getString("task_id"))).forEach(t -> old.add(entry(t)));
      var p = TaskListMerge.merge(memPage, old, storeNext, pq);
      assertTrue(p.tasks().size() <= pq.limit());
      out.addAll(ids(p.tasks()));
      if (p.next() == null) {
        return out;
      }
      after = p.next();
    }
  }
}
