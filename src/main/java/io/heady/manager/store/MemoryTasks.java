package io.heady.manager.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tasks of the {@link MemoryClusterStore} and their indexes: the unfinished ones in queue order, the
 * finished ones in finish order (with the time each finished, for retention), and one index per status for
 * lists. Keeps the same indexes and applies the same {@link Retention} as the Redis store. Not thread-safe: the
 * store's lock guards it.
 */
final class MemoryTasks {
  private record Queued(long seq, String id) {}

  /** What {@link #page} filters on, kept beside each document so a list decodes only what it returns. */
  private record Listed(TaskPosition at, String status, String nodeId, String nodeName, String type,
      Instant createdAt) {
    static Listed of(TaskEntry t) {
      JsonObject d = t.doc();
      return new Listed(new TaskPosition(t.seq(), t.id()), t.status(), str(d, "node_id"), str(d, "node_name"),
          str(d, "type"), TaskQuery.createdAt(d));
    }

    private static String str(JsonObject d, String key) {
      return d.getValue(key) instanceof String v ? v : null;
    }
  }

  private static final Comparator<Queued> QUEUE_ORDER =
      Comparator.comparingLong(Queued::seq).thenComparing(Queued::id);

  private final Retention retention;
  // why: a finished task is kept encoded (a third of the memory of its object tree) and read back rarely
  private final Map<String, Object> tasks = new HashMap<>(); // JsonObject while unfinished, else Buffer
  private final TreeSet<Queued> unfinished = new TreeSet<>(QUEUE_ORDER);
  private final Map<String, Long> seqOf = new HashMap<>();
  private final TreeMap<Long, String> finishedByOrder = new TreeMap<>();
  private final Map<String, Long> finishOrderOf = new HashMap<>();
  private final Map<String, Instant> finishedAt = new HashMap<>();
  private long finishCounter;
  // why: one index per status, like the Redis store's indexes of finished tasks, so a list by status is a
  // walk of its own index
  private final Map<String, TreeSet<TaskPosition>> byStatus = new HashMap<>();
  private final Map<String, Listed> listed = new HashMap<>();
  private long highestSeq;

  MemoryTasks(Retention retention) {
    this.retention = retention;
  }

  /** Saves a batch of tasks at {@code now}, then applies the retention. */
  void save(List<TaskEntry> batch, Instant now) {
    for (TaskEntry t : batch) {
      tasks.put(t.id(), t.finished() ? t.doc().toBuffer() : t.doc());
      unlist(t.id());
      Listed l = Listed.of(t);
      listed.put(t.id(), l);
      byStatus.computeIfAbsent(l.status(), k -> new TreeSet<>()).add(l.at());
      highestSeq = Math.max(highestSeq, t.seq());
      Long oldSeq = seqOf.remove(t.id());
      if (oldSeq != null) {
        unfinished.remove(new Queued(oldSeq, t.id()));
      }
      if (t.finished()) {
        if (!finishOrderOf.containsKey(t.id())) {
          long order = ++finishCounter;
          finishOrderOf.put(t.id(), order);
          finishedByOrder.put(order, t.id());
          finishedAt.put(t.id(), now);
        }
      } else {
        // why: whatever the last document says is the state; a finished task saved as unfinished again
        // (a stale retry) leaves the history and rejoins the queue, as in the Redis store
        Long order = finishOrderOf.remove(t.id());
        if (order != null) {
          finishedByOrder.remove(order);
          finishedAt.remove(t.id());
        }
        unfinished.add(new Queued(t.seq(), t.id()));
        seqOf.put(t.id(), t.seq());
      }
    }
    expire(now);
  }

  /** A copy of a task's document, or {@code null}. */
  JsonObject doc(String id) {
    Object d = tasks.get(id);
    if (d instanceof Buffer b) {
      return new JsonObject(b);
    }
    return d == null ? null : ((JsonObject) d).copy();
  }

  /** Every task not yet finished, in submission order. */
  List<JsonObject> unfinished() {
    List<JsonObject> out = new ArrayList<>(unfinished.size());
    unfinished.forEach(q -> out.add(doc(q.id())));
    return out;
  }

  /** Finished tasks, most recent last, as {@link ClusterStore#history} gives them. */
  List<JsonObject> history(int limit, long beforeFinishSeq) {
    var head = beforeFinishSeq <= 0 ? finishedByOrder : finishedByOrder.headMap(beforeFinishSeq, false);
    List<JsonObject> out = new ArrayList<>();
    for (var e : head.descendingMap().entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(doc(e.getValue()).put("finish_seq", e.getKey()));
    }
    Collections.reverse(out);
    return out;
  }

  /** Same rules and the same per-call bound as the Redis script. */
  int expire(Instant now) {
    int removed = 0;
    if (retention.byCount()) {
      while (finishedByOrder.size() > retention.keepFinished() && removed < Retention.MAX_EXPIRED_PER_CALL) {
        drop(finishedByOrder.firstEntry().getValue());
        removed++;
      }
    }
    if (retention.byAge()) {
      Instant cutoff = now.minus(retention.finishedTtl());
      List<String> old = new ArrayList<>();
      for (String id : finishedByOrder.values()) {
        if (old.size() + removed >= Retention.MAX_EXPIRED_PER_CALL) {
          break;
        }
        if (finishedAt.get(id).isAfter(cutoff)) {
          break; // why: finish order is time order, so the rest finished later still
        }
        old.add(id);
      }
      old.forEach(this::drop);
      removed += old.size();
    }
    return removed;
  }

  private void drop(String id) {
    Long order = finishOrderOf.remove(id);
    if (order != null) {
      finishedByOrder.remove(order);
    }
    finishedAt.remove(id);
    tasks.remove(id);
    unlist(id);
  }

  private void unlist(String id) {
    Listed old = listed.remove(id);
    if (old != null) {
      byStatus.get(old.status()).remove(old.at());
    }
  }

  /** A page of tasks, as {@link ClusterStore#tasks} gives it. */
  TaskPage page(TaskQuery q) {
    // why: every status has its own exact index here, so only a node or type filter needs the scan window
    int window = q.byStatusOnly() ? Math.min(q.limit(), ClusterStore.MAX_SCAN) : ClusterStore.MAX_SCAN;
    List<IndexMerge.Slice> slices = new ArrayList<>();
    for (String status : q.statuses().isEmpty() ? byStatus.keySet() : q.statuses()) {
      TreeSet<TaskPosition> index = byStatus.get(status);
      if (index != null && !index.isEmpty()) {
        slices.add(slice(index, q, window));
      }
    }
    IndexMerge.Candidates c = IndexMerge.merge(slices, q.newestFirst(), window);
    IndexMerge.Collector page = new IndexMerge.Collector(q);
    for (TaskPosition p : c.positions()) {
      Listed l = listed.get(p.id());
      boolean match = l != null && q.matches(l.status(), l.nodeId(), l.nodeName(), l.type(), l.createdAt());
      if (page.offer(p, match ? doc(p.id()) : null, l == null ? null : l.createdAt())) {
        break;
      }
    }
    return page.page(c);
  }

  /** Up to {@code window} positions of one index after the query's cursor, in its order. */
  private static IndexMerge.Slice slice(TreeSet<TaskPosition> index, TaskQuery q, int window) {
    TaskPosition after = q.after();
    NavigableSet<TaskPosition> view;
    if (after == null) {
      view = q.newestFirst() ? index.descendingSet() : index;
    } else if (q.newestFirst()) {
      view = index.headSet(new TaskPosition(after.seq() + 1, null), false).descendingSet();
    } else {
      view = index.tailSet(new TaskPosition(after.seq(), null), true);
    }
    List<TaskPosition> out = new ArrayList<>();
    for (TaskPosition p : view) {
      if (!q.afterCursor(p)) {
        continue; // why: the cursor's own seq, at or before its id
      }
      if (out.size() == window) {
        return new IndexMerge.Slice(out, true);
      }
      out.add(p);
    }
    return new IndexMerge.Slice(out, false);
  }

  long highestSeq() {
    return highestSeq;
  }
}
