package io.heady.manager.scheduler;

import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which waiting tasks may run. A task waits on each dependency that has not succeeded; the last one to succeed
 * releases it, and a dependency that ends any other way skips it (and its own dependents after it). Each step
 * takes the record and answers what the scheduler does with it; the scheduler moves the task.
 */
final class DagReadiness {
  /** What a dependency's end means for one task that depends on it. */
  enum Next {
    /** Its last unmet dependency succeeded: it goes to the queue. */
    RUN,
    /** A dependency failed, timed out, was cancelled or skipped: it is skipped. */
    SKIP,
    /** It still waits, or it was not waiting (gone, or already decided). */
    NONE
  }

  /**
   * A new task's dependencies as they stand.
   *
   * @param unmet how many have not succeeded yet
   * @param doomedBy why it can never run (the first dependency that ended without success), or {@code null}
   */
  record Waiting(int unmet, String doomedBy) {}

  private final DagIndex dag = new DagIndex();
  private final Map<String, Integer> unmet = new HashMap<>();

  /** Records who waits on whom for a task. */
  void link(TaskRecord t) {
    dag.link(t.id(), t.spec().dependsOn());
  }

  /** A new waiting task's dependencies (each known to {@code tasks}). */
  Waiting submitted(TaskRecord t, Function<String, TaskRecord> tasks) {
    int waitingOn = 0;
    String doomedBy = null;
    for (String d : t.spec().dependsOn()) {
      TaskState depState = tasks.apply(d).state();
      if (depState != TaskState.SUCCEEDED) {
        waitingOn++;
      }
      if (depState.dooms() && doomedBy == null) {
        doomedBy = "dependency " + d + " " + depState.wire();
      }
    }
    return new Waiting(waitingOn, doomedBy);
  }

  /**
   * A waiting task restored after a restart: its dependencies still unfinished (those the store no longer lists
   * as unfinished succeeded, or a failed one would already have skipped it).
   */
  int unfinished(TaskRecord t, Function<String, TaskRecord> tasks) {
    int waiting = 0;
    for (String d : t.spec().dependsOn()) {
      TaskRecord dep = tasks.apply(d);
      if (dep != null && dep.state() != TaskState.SUCCEEDED) {
        waiting++;
      }
    }
    return waiting;
  }

  /** Its dependencies succeeded: the task goes to the queue. */
  void release(TaskRecord t, Instant now) {
    t.moveTo(TaskState.QUEUED, now, "dependencies succeeded");
  }

  /** The task waits on this many dependencies. */
  void waitsOn(String taskId, int count) {
    unmet.put(taskId, count);
  }

  /** The tasks that depend on this one. */
  List<String> dependents(String taskId) {
    return dag.dependents(taskId);
  }

  /** What the end of one of its dependencies means for {@code dependent} ({@code null}: no longer known). */
  Next after(TaskRecord dependent, TaskState end) {
    if (dependent == null || dependent.state() != TaskState.WAITING) {
      return Next.NONE;
    }
    if (end != TaskState.SUCCEEDED) {
      return Next.SKIP;
    }
    int left = unmet.merge(dependent.id(), -1, Integer::sum);
    if (left > 0) {
      return Next.NONE;
    }
    unmet.remove(dependent.id());
    return Next.RUN;
  }

  /** The task ended: it waits on nothing, and once its dependents are decided nothing waits on it. */
  void ended(String taskId) {
    unmet.remove(taskId);
  }

  /** After its dependents were told: the index forgets it, unless it succeeded and has dependents. */
  void settled(String taskId, TaskState end) {
    if (end != TaskState.SUCCEEDED || dag.dependents(taskId).isEmpty()) {
      dag.forget(taskId);
    }
  }
}
