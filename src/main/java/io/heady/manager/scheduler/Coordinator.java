package io.heady.manager.scheduler;

import io.heady.common.protocol.Refusal;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.NodeStep;
import io.heady.manager.task.TaskLifecycle;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.function.Supplier;

/**
 * Applies the lifecycles' outcomes to the cluster's state, like a plan: tasks move between the queue, the delay
 * queue, the DAG and their end, nodes lose their work, counters count, events are published, and every record
 * that changed is noted in {@link Changes}. It runs each operation ({@link #op}): when one ends, one
 * {@link DispatchPass} places what the change made placeable, and what changed goes to the sink to be written.
 * Nothing else marks a record changed or starts a pass.
 */
final class Coordinator {
  private final SchedulerState state;
  private int depth;

  Coordinator(SchedulerState state) {
    this.state = state;
  }

  /**
   * Runs one operation: its outcomes are applied as it goes; when it ends, if anything changed, one placement
   * pass runs, and what changed is handed to the sink. A refusal (an exception) still hands over what changed
   * before it, but places nothing.
   */
  <T> T op(Instant now, Supplier<T> body) {
    boolean outer = depth++ == 0;
    boolean done = false;
    try {
      T out = body.get();
      done = true;
      return out;
    } finally {
      depth--;
      if (outer) {
        if (done && state.changes().placing()) {
          place(now);
        }
        state.changes().handTo(state.sink());
      }
    }
  }

  /** {@link #op} for an operation without a result. */
  void run(Instant now, Runnable body) {
    op(now, () -> {
      body.run();
      return null;
    });
  }

  /**
   * Applies a node's word about itself: its word on new work, its tasks' progress, the work it no longer runs,
   * the leases it is to stop, its liveness.
   */
  void apply(NodeRecord n, NodeStep step, String lossReason, Instant now) {
    if (step.refusalChanged()) {
      Refusal r = n.refusing();
      state.sink().event(r != null ? "node.refusing" : "node.accepting", r != null
          ? Events.node(n).put("reason", r.reason()).put("message", r.message())
          : Events.node(n).put("was", step.refusalWas().reason()));
    }
    step.progress().forEach((taskId, p) -> {
      TaskRecord t = state.tasks().get(taskId);
      long quietS = state.lifecycle().progress(t, n.nodeId(), p, now);
      if (quietS >= 0) { // why: growth of any measure ends a stagnation warning
        state.changes().task(t);
        state.sink().event("watchdog.moving", Events.task(t).put("warned_for_sec", quietS));
      }
    });
    for (String taskId : step.lost()) {
      TaskRecord t = state.tasks().get(taskId);
      state.lifecycle().lost(t, "agent no longer runs it", now);
      takeBack(t, n, "agent no longer runs it", now);
    }
    step.slots().stop().forEach(s -> state.sink().cancel(n, s.taskId(), s.leaseId()));
    apply(n, step.outcome(), lossReason, now);
    if (step.news()) {
      state.changes().node(n);
    }
  }

  /**
   * Applies a liveness step: its incident and status changes are published and written, and a node that is
   * gone loses its work (one fault for the incident, however many tasks it held).
   */
  void apply(NodeRecord n, NodeLiveness.Outcome o, String lossReason, Instant now) {
    if (!o.any()) {
      return;
    }
    if (o.opened() != null) {
      state.sink().event("node.incident", Events.node(n).put("reason", o.opened()));
    }
    if (o.changed()) {
      state.sink().event("node." + n.status().wire(), Events.node(n).put("previous", o.previous().wire()));
      if (n.status() == NodeStatus.SUSPECT) {
        state.sink().probe(n); // why: a suspect node gets work back as soon as it answers; ask now, not in 30 s
      }
    }
    if (o.closed()) {
      state.sink().event("node.recovered", Events.node(n));
    }
    state.changes().node(n);
    if (o.loseWork()) {
      String why = o.opened() != null ? o.opened() : lossReason;
      boolean any = false;
      for (String taskId : new ArrayList<>(n.running())) {
        TaskRecord t = state.tasks().get(taskId);
        n.running().remove(taskId);
        if (t != null && t.state().onNode()) {
          state.lifecycle().lost(t, why, now);
          any = true;
          takeBack(t, n, why, now);
        }
      }
      if (any) {
        apply(n, state.liveness().workLost(n, why, now), why, now);
      }
    }
  }

  /** A task its node did not run to an end goes back to the queue (preferring another node), or fails. */
  void takeBack(TaskRecord t, NodeRecord n, String why, Instant now) {
    state.pass().avoid(t.id(), n.nodeId());
    String failed = state.lifecycle().takeBack(t, why, n.name(), now);
    if (failed != null) {
      finish(t, TaskState.FAILED, failed, new JsonObject(), now);
      return;
    }
    state.counters().requeued++;
    enqueue(t, now);
    state.sink().event("task.requeued", Events.task(t).put("reason", why).put("from_node", n.nodeId()));
  }

  /**
   * Ends the task, and tells its dependents ({@link DagReadiness}); {@code event} joins its end event. A dependent
   * it dooms is skipped, and so on down the DAG, from a work list rather than by recursion: a chain as long as the
   * largest DAG ({@code --max-dag-tasks}) must not overflow the stack.
   */
  void finish(TaskRecord t, TaskState end, String why, JsonObject event, Instant now) {
    java.util.ArrayDeque<TaskRecord> doomed = new java.util.ArrayDeque<>();
    java.util.Map<String, String> doomedWhy = new java.util.HashMap<>();
    endOne(t, end, why, event, now, doomed, doomedWhy);
    while (!doomed.isEmpty()) {
      TaskRecord dep = doomed.poll();
      endOne(dep, TaskState.SKIPPED, doomedWhy.remove(dep.id()), new JsonObject(), now, doomed, doomedWhy);
    }
  }

  private void endOne(TaskRecord t, TaskState end, String why, JsonObject event, Instant now,
      java.util.Deque<TaskRecord> doomed, java.util.Map<String, String> doomedWhy) {
    t.moveTo(end, now, why);
    state.counters().ended(end);
    state.pass().forget(t.id());
    state.dag().ended(t.id());
    state.tasks().finished(t);
    state.changes().task(t);
    state.sink().event("task." + end.wire(), Events.task(t).mergeIn(event));
    for (String d : state.dag().dependents(t.id())) {
      TaskRecord dep = state.tasks().get(d);
      switch (state.dag().after(dep, end)) {
        case RUN -> {
          state.dag().release(dep, now);
          enqueue(dep, now);
        }
        case SKIP -> {
          // why: a dependent doomed by two of its dependencies is skipped once, for the first
          if (doomedWhy.putIfAbsent(dep.id(), "dependency " + t.id() + " " + end.wire()) == null) {
            doomed.add(dep);
          }
        }
        default -> { } // it still waits
      }
    }
    state.dag().settled(t.id(), end);
  }

  /** A failure of the task's own with attempts left: it waits out its retry delay ({@link TaskLifecycle#retry}). */
  void retry(TaskRecord t, String why, JsonObject event, Instant now) {
    long delay = state.lifecycle().retry(t, why, now);
    state.delayed().add(t);
    judge(t, now);
    state.changes().task(t);
    state.sink().event("task.retrying", Events.task(t).mergeIn(event).put("reason", why).put("delay_ms", delay));
  }

  /** Puts a task in the queue, telling it at once when no node of the cluster could ever take it. */
  void enqueue(TaskRecord t, Instant now) {
    state.pass().queue().add(t);
    judge(t, now);
    state.changes().task(t);
  }

  /** Takes the task's placeability verdict ({@link DispatchPass#judge}); {@code task.unplaceable} when none can. */
  void judge(TaskRecord t, Instant now) {
    if (state.pass().judge(t, now)) {
      state.changes().task(t);
      if (t.unplaceable() != null) {
        state.sink().event("task.unplaceable", Events.task(t).put("reason", t.unplaceable()));
      }
    }
  }

  /** The operation's one dispatch pass: each placed task is counted, written, announced and sent. */
  void place(Instant now) {
    for (DispatchPass.Placed p : state.pass().run(now)) {
      state.counters().routed++;
      if (p.fallback()) {
        state.counters().failovers++;
      }
      state.changes().task(p.task());
      state.sink().event("task.dispatched", Events.task(p.task()));
      state.sink().dispatch(p.node(), p.dispatch());
    }
  }
}
