package io.heady.manager.scheduler;

import io.heady.manager.store.TaskPosition;
import io.heady.manager.store.TaskQuery;
import io.heady.manager.task.TaskRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The tasks held in memory: every unfinished one, and the most recent finished ones up to a bound (older
 * finished tasks live only in the store, which lists and history read for them). Ordered by submission for
 * paging.
 */
public final class TaskBook {
  private final int finishedCap;
  private final Map<String, TaskRecord> byId = new HashMap<>();
  private final TreeMap<Long, TaskRecord> bySeq = new TreeMap<>();
  private final ArrayDeque<TaskRecord> finished = new ArrayDeque<>();
  private long seq;
  private final Map<String, List<String>> dagTasks = new HashMap<>();
  private final Map<String, List<String>> dagCritical = new HashMap<>();

  public TaskBook(int finishedCap) {
    this.finishedCap = finishedCap;
  }

  public long nextSeq() {
    return ++seq;
  }

  /** After recovery, new tasks must sort after every recovered one. */
  public void seqAtLeast(long s) {
    seq = Math.max(seq, s);
  }

  public TaskRecord get(String id) {
    return byId.get(id);
  }

  public void put(TaskRecord t) {
    byId.put(t.id(), t);
    bySeq.put(t.seq(), t);
  }

  /** Records a task as finished and forgets the oldest finished ones beyond the bound. */
  public void finished(TaskRecord t) {
    finished.addLast(t);
    while (finished.size() > finishedCap) {
      TaskRecord old = finished.pollFirst();
      byId.remove(old.id());
      bySeq.remove(old.seq());
    }
  }

  /** Records a DAG's members (in submission order) and its critical path. */
  public void dag(String dagId, List<String> taskIds, List<String> criticalPath) {
    dagTasks.put(dagId, List.copyOf(taskIds));
    dagCritical.put(dagId, List.copyOf(criticalPath));
  }

  public List<String> dagTasks(String dagId) {
    return dagTasks.get(dagId);
  }

  public List<String> dagCriticalPath(String dagId) {
    return dagCritical.getOrDefault(dagId, List.of());
  }

  public int size() {
    return byId.size();
  }

  /**
   * A page of the tasks held here, in the query's order after its cursor, filtered by its status, node, type and
   * time: at most {@code query.limit()}. A full page may have more after it; a shorter one
   * holds every match this book has beyond the cursor (finished tasks it no longer holds are the store's).
   */
  public List<TaskRecord> page(TaskQuery query) {
    TaskPosition after = query.after();
    NavigableMap<Long, TaskRecord> view;
    if (after == null) {
      view = query.newestFirst() ? bySeq.descendingMap() : bySeq;
    } else if (query.newestFirst()) {
      view = bySeq.headMap(after.seq(), true).descendingMap();
    } else {
      view = bySeq.tailMap(after.seq(), true);
    }
    List<TaskRecord> out = new ArrayList<>();
    for (TaskRecord t : view.values()) {
      if (!query.afterCursor(position(t))) {
        continue;
      }
      if (query.pastWindow(t.createdAt())) {
        break; // why: submission order is time order (TaskQuery), so nothing further is in the window
      }
      if (query.matches(t.state().wire(), t.nodeId(), t.nodeName(), t.spec().type(), t.createdAt())) {
        out.add(t);
        if (out.size() >= query.limit()) {
          break;
        }
      }
    }
    return out;
  }

  /** Where a task stands in submission order. */
  public static TaskPosition position(TaskRecord t) {
    return new TaskPosition(t.seq(), t.id());
  }

  public Iterable<TaskRecord> all() {
    return bySeq.values();
  }
}
