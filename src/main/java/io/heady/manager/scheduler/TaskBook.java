package io.heady.manager.scheduler;

import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The tasks held in memory: every unfinished one, and the most recent finished ones up to a bound (older
 * finished tasks live only in the store). Ordered by submission for paging, and by finish for history.
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
   * A page of tasks in submission order after {@code afterSeq}, filtered by state and node.
   *
   * @param limit at most this many
   */
  public List<TaskRecord> page(TaskState state, String nodeId, long afterSeq, int limit) {
    List<TaskRecord> out = new ArrayList<>();
    NavigableMap<Long, TaskRecord> tail = bySeq.tailMap(afterSeq, false);
    for (TaskRecord t : tail.values()) {
      if ((state == null || t.state() == state) && (nodeId == null || nodeId.equals(t.nodeId()))) {
        out.add(t);
        if (out.size() >= limit) {
          break;
        }
      }
    }
    return out;
  }

  /** Finished tasks, oldest to newest, the last {@code limit} before position {@code before} (exclusive). */
  public List<TaskRecord> history(int limit, int before) {
    List<TaskRecord> all = new ArrayList<>(finished);
    int end = before < 0 ? all.size() : Math.min(before, all.size());
    int start = Math.max(0, end - limit);
    return all.subList(start, end);
  }

  public int finishedCount() {
    return finished.size();
  }

  public Iterable<TaskRecord> all() {
    return bySeq.values();
  }
}
