package io.heady.manager.task;

import static io.heady.manager.task.TaskState.CANCELLED;
import static io.heady.manager.task.TaskState.DISPATCHED;
import static io.heady.manager.task.TaskState.FAILED;
import static io.heady.manager.task.TaskState.QUEUED;
import static io.heady.manager.task.TaskState.RUNNING;
import static io.heady.manager.task.TaskState.SKIPPED;
import static io.heady.manager.task.TaskState.SUCCEEDED;
import static io.heady.manager.task.TaskState.TIMED_OUT;
import static io.heady.manager.task.TaskState.WAITING;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of task state moves. A lost or refused attempt and a retry go back to {@code QUEUED}; a
 * completion may arrive before the "running" report (a fast task), so {@code DISPATCHED} may end directly.
 */
public final class TaskStateMachine {
  private static final Map<TaskState, Set<TaskState>> TABLE = new EnumMap<>(TaskState.class);

  static {
    TABLE.put(WAITING, EnumSet.of(QUEUED, SKIPPED, CANCELLED));
    TABLE.put(QUEUED, EnumSet.of(DISPATCHED, CANCELLED, FAILED));
    TABLE.put(DISPATCHED, EnumSet.of(RUNNING, QUEUED, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED));
    TABLE.put(RUNNING, EnumSet.of(QUEUED, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED));
    for (TaskState t : TaskState.values()) {
      if (t.terminal()) {
        TABLE.put(t, EnumSet.noneOf(TaskState.class));
      }
    }
  }

  /** States a new task may start in. */
  public static final Set<TaskState> INITIAL = Collections.unmodifiableSet(EnumSet.of(WAITING, QUEUED));

  private TaskStateMachine() {}

  public static boolean allowed(TaskState from, TaskState to) {
    return TABLE.get(from).contains(to);
  }

  /** @throws IllegalStateException when the move is not in the table: a bug in the caller */
  public static void check(TaskState from, TaskState to) {
    if (!allowed(from, to)) {
      throw new IllegalStateException("task: no transition from " + from + " to " + to);
    }
  }

  public static Map<TaskState, Set<TaskState>> transitions() {
    Map<TaskState, Set<TaskState>> out = new EnumMap<>(TaskState.class);
    TABLE.forEach((k, v) -> out.put(k, Collections.unmodifiableSet(v)));
    return out;
  }
}
