package io.heady.manager.scheduler;

import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.Attempt;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where the cluster's state resumes after a manager restart, read back from the store: nodes are given until
 * the TTL to heartbeat again; unfinished tasks go back to the queue, or stay on their node under their recovered
 * lease so an agent that kept running can still complete them. Tasks the manager's own executor was running died
 * with it and are requeued. A waiting task whose dependencies are no longer unfinished only waits for the
 * unfinished ones: a failed dependency would already have skipped it.
 */
final class Recovery {
  /** Where one restored task resumes. */
  enum Resume {
    /** Queued as stored. */
    QUEUE,
    /** Queued, waiting out its retry delay. */
    DELAY,
    /** Waiting, for {@link Resumed#waiting} dependencies. */
    WAIT,
    /** Waiting, but its dependencies are done: queued now. */
    READY,
    /** On its node, under its recovered lease. */
    ON_NODE,
    /** Its attempt died with the manager (or its node is gone): queued again. */
    REQUEUED
  }

  /** Where a task resumes, and for {@link Resume#WAIT} how many dependencies it waits on. */
  record Resumed(Resume how, int waiting) {
    /** Whether the record changed and must be written. */
    boolean moved() {
      return how == Resume.READY || how == Resume.REQUEUED;
    }
  }

  private final DagReadiness dag;

  Recovery(DagReadiness dag) {
    this.dag = dag;
  }

  /** The stored nodes, each heard from now (the TTL to report again starts at the restart). */
  List<NodeRecord> nodes(List<JsonObject> stored, Instant now) {
    List<NodeRecord> out = new ArrayList<>(stored.size());
    for (JsonObject j : stored) {
      NodeRecord n = NodeRecord.fromJson(j);
      n.heartbeat(now, n.stats());
      out.add(n);
    }
    return out;
  }

  /** The stored unfinished tasks. */
  List<TaskRecord> tasks(List<JsonObject> stored) {
    List<TaskRecord> out = new ArrayList<>(stored.size());
    stored.forEach(j -> out.add(TaskRecord.fromJson(j)));
    return out;
  }

  /** Where a restored task resumes, given every restored task and node; moves it when it must move. */
  Resumed resume(TaskRecord t, Function<String, TaskRecord> tasks, Function<String, NodeRecord> nodes,
      Instant now) {
    switch (t.state()) {
      case WAITING -> {
        int waiting = dag.unfinished(t, tasks);
        if (waiting > 0) {
          return new Resumed(Resume.WAIT, waiting);
        }
        t.moveTo(TaskState.QUEUED, now, "dependencies succeeded (recovered)");
        return new Resumed(Resume.READY, 0);
      }
      case QUEUED -> {
        boolean delayed = t.notBefore() != null && t.notBefore().isAfter(now);
        return new Resumed(delayed ? Resume.DELAY : Resume.QUEUE, 0);
      }
      case DISPATCHED, RUNNING -> {
        Attempt a = t.currentAttempt();
        NodeRecord n = a == null ? null : nodes.apply(a.nodeId());
        if (a != null && n != null && !n.cloud()) {
          return new Resumed(Resume.ON_NODE, 0);
        }
        if (a != null) {
          t.endAttempt("lost", "the manager restarted", null, now);
        }
        t.moveTo(TaskState.QUEUED, now, "requeued after a manager restart");
        return new Resumed(Resume.REQUEUED, 0);
      }
      default -> throw new IllegalStateException("a finished task among the unfinished: " + t.id());
    }
  }
}
