package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Refusal;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.Attempt;
import io.heady.manager.task.AttemptAccounting;
import io.heady.manager.task.TaskLifecycle;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to tasks: a submission is committed, a node reports an attempt started or ended or never took
 * it, the watchdog finds one stagnant, someone cancels one. Each asks {@link TaskLifecycle} (and for new tasks
 * {@link DagReadiness}) what the event means and hands the outcome to the {@link Coordinator}; {@link Scheduler}
 * runs each as one operation.
 */
final class TaskOps {
  private final SchedulerState state;
  private final Coordinator coordinator;

  TaskOps(SchedulerState state, Coordinator coordinator) {
    this.state = state;
    this.coordinator = coordinator;
  }

  /** Makes a prepared submission the scheduler's: queued, linked, counted, and placed where it can be. */
  List<Scheduler.Submitted> commit(Prepared p, Instant now) {
    List<Scheduler.Submitted> out = new ArrayList<>();
    List<TaskRecord> created = new ArrayList<>();
    for (Scheduler.Submitted x : p.out) {
      TaskRecord raced = x.created() ? state.tasks().get(x.task().id()) : null;
      if (!x.created() || raced != null) {
        // raced: the same client id was committed meanwhile
        out.add(raced == null ? x : new Scheduler.Submitted(raced, false));
        continue;
      }
      state.tasks().put(x.task());
      state.dag().link(x.task());
      state.counters().submitted++;
      created.add(x.task());
      out.add(x);
    }
    if (p.dagId != null && !created.isEmpty()) {
      state.tasks().dag(p.dagId, created.stream().map(TaskRecord::id).toList(), p.criticalPath);
    }
    created.forEach(t -> admit(t, now));
    state.changes().place();
    return out;
  }

  /** A new task joins: queued, or waiting on its dependencies (skipped if one already ended without success). */
  private void admit(TaskRecord t, Instant now) {
    if (t.state() == TaskState.QUEUED) {
      state.pass().queue().add(t);
    } else if (t.state() == TaskState.WAITING) {
      DagReadiness.Waiting w = state.dag().submitted(t, state.tasks()::get);
      if (w.unmet() == 0) {
        state.dag().release(t, now);
        state.pass().queue().add(t);
      } else {
        state.dag().waitsOn(t.id(), w.unmet());
        if (w.doomedBy() != null) {
          coordinator.finish(t, TaskState.SKIPPED, w.doomedBy(), new JsonObject(), now);
        }
      }
    } // else already skipped by a dependency earlier in this batch
    state.changes().task(t);
    state.sink().event("task.submitted", Events.task(t));
    if (t.state() == TaskState.QUEUED) {
      coordinator.judge(t, now); // why: after task.submitted, so a listener hears of the task first
    }
  }

  /** The node's "running" report: the attempt started. A node reports only its own attempts. */
  void started(String nodeId, String taskId, String leaseId, Instant now) {
    TaskRecord t = state.tasks().get(taskId);
    if (state.lifecycle().started(t, nodeId, leaseId, now)) {
      state.changes().task(t);
      state.sink().event("task.running", Events.task(t));
    }
  }

  /**
   * A node's result. Only the current lease completes the task; the same result again is a duplicate
   * (accepted, counted once); a revoked lease's result is kept as a late result and refused with 409.
   */
  Scheduler.Completed complete(Completion c, Instant now) {
    TaskRecord t = requireTask(c.taskId());
    TaskLifecycle.Completed r = state.lifecycle().complete(t, c, now);
    if (r.taken() == TaskLifecycle.Taken.DUPLICATE) {
      if (r.changed()) {
        state.changes().task(t);
      }
      return new Scheduler.Completed(true, true, t);
    }
    if (r.taken() == TaskLifecycle.Taken.LATE) {
      state.counters().lateResults++;
      state.changes().task(t);
      state.sink().event("task.late_result", Events.task(t).put("lease_id", r.attempt().leaseId()));
      throw TaskLifecycle.lateRefusal(c, r.attempt());
    }
    NodeRecord n = state.nodes().get(r.attempt().nodeId());
    if (n != null) {
      n.running().remove(t.id());
    }
    if (r.taken() == TaskLifecycle.Taken.STOPPED) { // the node stopped it without being asked: not the task's fault
      if (n != null) {
        coordinator.takeBack(t, n, "stopped by the node", now);
        coordinator.apply(n, state.liveness().workLost(n, "the node stopped a task it was given", now), "", now);
      } else {
        state.lifecycle().requeue(t, "stopped by a node that is gone", now);
        coordinator.enqueue(t, now);
      }
      return new Scheduler.Completed(true, false, t);
    }
    AttemptAccounting.Outcome o = r.ran();
    if (n != null) {
      // why: a task stopped at its own limit is the task's failure, not the node's: the node did its job
      coordinator.apply(n, state.liveness().ran(n, o.succeeded(), c.durationMs(), now), "", now);
      state.changes().node(n);
    }
    state.counters().durationSumMs += c.durationMs();
    state.counters().durationCount++;
    if (o.succeeded()) {
      coordinator.finish(t, TaskState.SUCCEEDED, null, o.event(), now);
    } else if (o.retry()) {
      coordinator.retry(t, o.failure(), o.event(), now);
    } else {
      TaskState end = c.status().equals("timed_out") ? TaskState.TIMED_OUT : TaskState.FAILED;
      coordinator.finish(t, end, o.failure(), o.event(), now);
    }
    return new Scheduler.Completed(true, false, t);
  }

  /** The watchdog's {@code warn}: an event and a mark on the task, once per quiet spell. The task runs on. */
  void stagnantWarn(String taskId, Duration silentFor, Instant now) {
    TaskRecord t = state.tasks().get(taskId);
    String why = state.lifecycle().warnStagnant(t, silentFor, now);
    if (why != null) {
      state.changes().task(t);
      state.sink().event("watchdog.stagnant", Events.task(t).put("reason", why).put("silent_sec", silentFor.toSeconds())
          .put("action", "warn"));
    }
  }

  /** The watchdog's {@code reassign} (one rung of the ladder, see {@link TaskLifecycle#stagnant}) or {@code fail}. */
  void stagnant(String taskId, Duration silentFor, boolean failNow, Instant now) {
    TaskRecord t = state.tasks().get(taskId);
    TaskLifecycle.Rung rung = state.lifecycle().stagnant(t, silentFor, failNow, now);
    if (rung == null) {
      return;
    }
    String from = rung.attempt().nodeId();
    NodeRecord n = state.nodes().get(from);
    if (n != null) {
      n.running().remove(taskId);
      state.sink().cancel(n, taskId, rung.attempt().leaseId());
      state.changes().node(n);
    }
    JsonObject ev = Events.task(t).put("reason", rung.why()).put("step", rung.step()).put("from_node", from);
    if (rung.fails()) {
      state.sink().event("watchdog.failed", ev);
      coordinator.finish(t, TaskState.FAILED, "stagnation: " + rung.why(), new JsonObject(), now);
      return;
    }
    state.sink().event(rung.step() == 2 ? "watchdog.escalated" : "watchdog.reassigned",
        rung.step() == 2 ? ev.put("priority", t.priority().name()) : ev);
    state.pass().avoid(t.id(), from);
    state.lifecycle().requeue(t, "watchdog: " + rung.why(), now);
    coordinator.enqueue(t, now);
  }

  /**
   * A dispatch never started its task. It uses none of the task's attempts and never fails it: the task goes
   * back to the queue and the next placement prefers another node (a pinned task waits for its node). An
   * unreachable or closing node is {@code suspect} (no work until it proves it is alive; unreachable is one
   * fault per incident); a node that answered "full" is taken as full until it lists its tasks, which
   * corrects the manager's view of its slots, instead of being tried again at once.
   */
  void dispatchFailed(String taskId, String leaseId, String why, Undelivered kind, Instant now) {
    TaskRecord t = state.tasks().get(taskId);
    Attempt a = state.lifecycle().undelivered(t, leaseId, why, now);
    if (a == null) {
      return;
    }
    state.counters().failovers++;
    NodeRecord n = state.nodes().get(a.nodeId());
    if (n == null) {
      state.lifecycle().requeue(t, why, now);
      coordinator.enqueue(t, now);
      return;
    }
    n.running().remove(taskId);
    coordinator.takeBack(t, n, why, now);
    switch (kind) {
      case UNREACHABLE -> coordinator.apply(n, state.liveness().undelivered(n, why, true, now), why, now);
      case CLOSING -> coordinator.apply(n, state.liveness().undelivered(n, why, false, now), why, now);
      case FULL, REFUSED -> {
        // why: the node answered, so it is alive; what it holds comes with its next heartbeat or probe
        n.claimedFull(true);
        state.changes().node(n);
        state.sink().probe(n);
      }
      case DISK_FULL -> {
        // why: alive and not at fault; it gets no work until a heartbeat says its disk has room again
        if (n.refusing(Refusal.diskFull(why))) {
          state.sink().event("node.refusing", Events.node(n).put("reason", Refusal.DISK_FULL).put("message", why));
        }
        state.changes().node(n);
      }
      default -> throw new IllegalStateException("unknown kind " + kind);
    }
  }

  /**
   * The attempt's secrets could not be given to it, so it was never sent. When that lasts (a secret the task names
   * was removed after it was submitted) the task fails with reason {@code secret_unavailable}, naming the secret;
   * otherwise (the store did not answer) it waits out the retry delay, none of its attempts used. The node is not
   * at fault either way.
   */
  void secretsUnavailable(String taskId, String leaseId, String why, boolean lasting, Instant now) {
    TaskRecord t = state.tasks().get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.leaseId().equals(leaseId)) {
      return;
    }
    NodeRecord n = state.nodes().get(a.nodeId());
    if (n != null) {
      n.running().remove(taskId);
      state.changes().node(n);
    }
    String failed = null;
    if (lasting) {
      t.endAttempt("failed", why, null, now);
      failed = why;
    } else {
      String tooOften = state.lifecycle().awaitSecrets(t, why, now);
      if (tooOften != null) {
        failed = tooOften;
      }
    }
    if (failed != null) {
      coordinator.finish(t, TaskState.FAILED, Completion.SECRET_UNAVAILABLE + ": " + failed, new JsonObject(), now);
      return;
    }
    state.counters().requeued++;
    state.delayed().add(t);
    coordinator.judge(t, now);
    state.changes().task(t);
    state.sink().event("task.requeued", Events.task(t).put("reason", why).put("from_node", a.nodeId()));
  }

  TaskRecord cancel(String taskId, Instant now) {
    TaskRecord t = requireTask(taskId);
    Attempt a = state.lifecycle().cancel(t, now);
    if (a != null) {
      NodeRecord n = state.nodes().get(a.nodeId());
      if (n != null) {
        n.running().remove(taskId);
        state.sink().cancel(n, taskId, a.leaseId());
      }
    } else {
      state.pass().queue().remove(t);
      state.delayed().remove(t);
    }
    coordinator.finish(t, TaskState.CANCELLED, "cancelled by request", new JsonObject(), now);
    return t;
  }

  private TaskRecord requireTask(String taskId) {
    TaskRecord t = state.tasks().get(taskId);
    if (t == null) {
      throw new ApiException(ErrorCode.UNKNOWN_TASK, "no task with id " + taskId,
          new JsonObject().put("task_id", taskId));
    }
    return t;
  }

  /** The node took these dispatches: from now on it must list them (see {@link NodeHoldings#missing}). */
  void dispatchesDelivered(List<Dispatch> delivered, Instant now) {
    for (Dispatch d : delivered) {
      TaskRecord t = state.tasks().get(d.taskId());
      if (state.lifecycle().delivered(t, d.leaseId(), now)) {
        state.changes().task(t);
      }
    }
  }
}
