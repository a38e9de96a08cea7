package io.heady.manager.scheduler;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.TaskSpec;
import io.heady.manager.node.NodeHoldings;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.placement.DecisionTimer;
import io.heady.manager.placement.Placement;
import io.heady.manager.placement.Policy;
import io.heady.manager.task.TaskLifecycle;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The single owner of node and task state: everything that can happen to the cluster, each as one operation by
 * {@code now}. What a node's event means is {@link NodeOps}'s to ask of {@link NodeLiveness}; what a task's
 * event means is {@link TaskOps}'s to ask of {@link TaskLifecycle} and {@link DagReadiness}; restarts are
 * {@link Recovery}'s. The {@link Coordinator} applies every outcome, notes what changed, and ends each operation
 * with one {@link DispatchPass} when anything changed. Nothing here reads a clock, starts a timer or does I/O;
 * decisions leave through the {@link SchedulerSink}.
 */
public final class Scheduler {
  /** The longest a dispatch's delivery takes to be answered (see {@link NodeHoldings#DELIVERY_WAIT}). */
  static final Duration DELIVERY_WAIT = NodeHoldings.DELIVERY_WAIT;

  /** The result of a submission: each task, and whether this call created it (false: idempotent repeat). */
  public record Submitted(TaskRecord task, boolean created) {}

  /** The result of a completion report. */
  public record Completed(boolean accepted, boolean duplicate, TaskRecord task) {}

  private final SchedulerSettings settings;
  private final Policy policy;
  private final SchedulerSink sink;
  private final IdSource ids;
  private final TaskBook tasks;
  private final NodeBook nodes = new NodeBook();
  private final PriorityQueue<TaskRecord> delayed = new PriorityQueue<>(Comparator.comparing(TaskRecord::notBefore));
  private final DagReadiness dag = new DagReadiness();
  private final Counters counters = new Counters();
  private final Changes changes = new Changes();
  private final NodeLiveness liveness;
  private final DispatchPass pass;
  private final Recovery recovery = new Recovery(dag);
  private final Coordinator coordinator;
  private final NodeOps nodeOps;
  private final TaskOps taskOps;

  public Scheduler(SchedulerSettings settings, Policy policy, SchedulerSink sink, IdSource ids) {
    this(settings, policy, sink, ids, DecisionTimer.OFF);
  }

  /** @param placements times each placement decision (the manager's {@code heady_placement_seconds}) */
  public Scheduler(SchedulerSettings settings, Policy policy, SchedulerSink sink, IdSource ids,
      DecisionTimer placements) {
    this.settings = settings;
    this.policy = policy;
    this.sink = sink;
    this.ids = ids;
    this.tasks = new TaskBook(settings.finishedInMemory());
    this.liveness = new NodeLiveness(settings.liveness());
    TaskLifecycle lifecycle = new TaskLifecycle(new TaskLifecycle.Settings(settings.retryBase(),
        settings.retryMax(), settings.maxInfraRequeues()));
    this.pass = new DispatchPass(policy, settings.placement(), ids, nodes, placements);
    SchedulerState state = new SchedulerState(sink, nodes, tasks, delayed, dag, counters, changes, pass, liveness,
        lifecycle);
    this.coordinator = new Coordinator(state);
    this.nodeOps = new NodeOps(state, settings.heartbeat(), coordinator);
    this.taskOps = new TaskOps(state, coordinator);
  }

  // ---- nodes (NodeOps) -----------------------------------------------------------------------------------

  /** Registers a node, or re-registers it keeping its counters. Returns whether it is new. */
  public boolean register(Registration r, boolean local, Instant now) {
    return coordinator.op(now, () -> nodeOps.register(r, local, now));
  }

  /** A heartbeat from a registered node (an unknown one is told to register again: 404 UNKNOWN_NODE). */
  public NodeRecord heartbeat(Heartbeat hb, Instant now) {
    return coordinator.op(now, () -> nodeOps.heartbeat(hb, now));
  }

  /** The node's cluster member left: the process died or was cut off. */
  public void memberLost(String memberId, Instant now) {
    coordinator.run(now, () -> nodeOps.memberLost(memberId, now));
  }

  /** The agent is shutting down on purpose: it is offline now, and anything it still held is requeued. */
  public NodeRecord deregister(String nodeId, Instant now) {
    return coordinator.op(now, () -> nodeOps.deregister(nodeId, now));
  }

  /** An active probe failed; enough in a row make the node unhealthy. */
  public void probeFailed(String nodeId, Instant now) {
    coordinator.run(now, () -> nodeOps.probeFailed(nodeId, now));
  }

  /** An active probe answered: proof the node is alive; {@code listed}, when told, is what the node holds. */
  public void probeOk(String nodeId, List<String> listed, Instant now) {
    coordinator.run(now, () -> nodeOps.probeOk(nodeId, listed, now));
  }

  /** The node sent a report (starts, results): proof it is alive. */
  public void reported(String nodeId, Instant now) {
    coordinator.run(now, () -> nodeOps.reported(nodeId, now));
  }

  public NodeRecord drain(String nodeId, boolean on, Instant now) {
    return coordinator.op(now, () -> nodeOps.drain(nodeId, on, now));
  }

  /** An operator lifts a node's quarantine. */
  public NodeRecord reinstate(String nodeId, Instant now) {
    return coordinator.op(now, () -> nodeOps.reinstate(nodeId, now));
  }

  /** Removes a node; its live attempts are revoked and stopped, and their tasks run again. */
  public NodeRecord deleteNode(String nodeId, Instant now) {
    return coordinator.op(now, () -> nodeOps.deleteNode(nodeId, now));
  }

  /** A node's credential is being revoked: deleted, and it cannot register again. */
  public NodeRecord revokeNode(String nodeId, Instant now) {
    return coordinator.op(now, () -> nodeOps.revokeNode(nodeId, now));
  }

  // ---- tasks (TaskOps) -----------------------------------------------------------------------------------

  /** Validates and accepts one task or a DAG batch in one step (prepare and commit); see {@link SubmissionCheck}. */
  public List<Submitted> submit(List<TaskSpec> specs, boolean batch, Instant now) {
    return commit(prepare(specs, batch, now), now);
  }

  /** Validates a submission and builds its new tasks in their first state, changing nothing yet. */
  public Prepared prepare(List<TaskSpec> specs, boolean batch, Instant now) {
    return Prepared.of(specs, batch, policy, tasks, ids, now);
  }

  /** Makes a prepared submission the scheduler's: queued, linked, counted, and placed where it can be. */
  public List<Submitted> commit(Prepared p, Instant now) {
    return coordinator.op(now, () -> taskOps.commit(p, now));
  }

  /** The node's "running" report: the attempt started. A node reports only its own attempts. */
  public void started(String nodeId, String taskId, String leaseId, Instant now) {
    coordinator.run(now, () -> taskOps.started(nodeId, taskId, leaseId, now));
  }

  /** The node took these dispatches: from now on it must list them (see {@link NodeHoldings#missing}). */
  public void dispatchesDelivered(List<Dispatch> delivered, Instant now) {
    coordinator.run(now, () -> taskOps.dispatchesDelivered(delivered, now));
  }

  /**
   * A node's result. Only the current lease completes the task; the same result again is a duplicate
   * (accepted, counted once); a revoked lease's result is kept as a late result and refused with 409.
   */
  public Completed complete(Completion c, Instant now) {
    return coordinator.op(now, () -> taskOps.complete(c, now));
  }

  /** A dispatch never started its task: back to the queue at no cost to it (see {@link TaskOps}). */
  public void dispatchFailed(String taskId, String leaseId, String why, Undelivered kind, Instant now) {
    coordinator.run(now, () -> taskOps.dispatchFailed(taskId, leaseId, why, kind, now));
  }

  /** The attempt's secrets could not be given to it, so it was never sent (see {@link TaskOps}). */
  public void secretsUnavailable(String taskId, String leaseId, String why, boolean lasting, Instant now) {
    coordinator.run(now, () -> taskOps.secretsUnavailable(taskId, leaseId, why, lasting, now));
  }

  /** The watchdog's {@code warn}: an event and a mark on the task, once per quiet spell. The task runs on. */
  public void stagnantWarn(String taskId, Duration silentFor, Instant now) {
    coordinator.run(now, () -> taskOps.stagnantWarn(taskId, silentFor, now));
  }

  /** The watchdog's {@code reassign} (one rung of {@link TaskLifecycle#stagnant}), or {@code fail} at once. */
  public void stagnant(String taskId, Duration silentFor, boolean failNow, Instant now) {
    coordinator.run(now, () -> taskOps.stagnant(taskId, silentFor, failNow, now));
  }

  public TaskRecord cancel(String taskId, Instant now) {
    return coordinator.op(now, () -> taskOps.cancel(taskId, now));
  }

  // ---- recovery and time ---------------------------------------------------------------------------------

  /** Rebuilds state from the store after a restart (see {@link Recovery}); the first tick places what waits. */
  public void restore(List<JsonObject> storedNodes, List<JsonObject> storedTasks, JsonObject storedCounters,
      Instant now) {
    recovery.nodes(storedNodes, now).forEach(nodes::put);
    List<TaskRecord> restored = recovery.tasks(storedTasks);
    for (TaskRecord t : restored) {
      tasks.put(t);
      tasks.seqAtLeast(t.seq());
      if (t.dagId() != null) {
        dag.link(t);
      }
    }
    for (TaskRecord t : restored) {
      Recovery.Resumed r = recovery.resume(t, tasks::get, nodes::get, now);
      switch (r.how()) {
        case QUEUE -> {
          pass.queue().add(t);
          coordinator.judge(t, now);
        }
        case READY, REQUEUED -> coordinator.enqueue(t, now);
        case DELAY -> delayed.add(t);
        case WAIT -> dag.waitsOn(t.id(), r.waiting());
        case ON_NODE -> nodes.get(t.currentAttempt().nodeId()).running().add(t.id());
        default -> throw new IllegalStateException("unknown resume " + r.how());
      }
      if (r.moved()) {
        changes.task(t);
      }
    }
    counters.restore(storedCounters);
    pass.topologyChanged();
    sink.event("manager.recovered", new JsonObject().put("nodes", nodes.size()).put("tasks", restored.size()));
    changes.handTo(sink);
  }

  /**
   * Expires silent nodes, releases tasks whose retry delay has passed, tells queued tasks that no node could
   * ever take them after the cluster changed, and runs a dispatch pass.
   */
  public void tick(Instant now) {
    coordinator.run(now, () -> {
      for (NodeRecord n : new ArrayList<>(nodes.all())) {
        coordinator.apply(n, liveness.silent(n, settings.ttl(), settings.offline(), now), "no heartbeat", now);
      }
      while (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(now)) {
        TaskRecord t = delayed.poll();
        if (t.state() == TaskState.QUEUED) {
          t.notBefore(null);
          pass.queue().add(t);
        }
      }
      if (pass.newTopology()) {
        pass.queue().forEach(t -> coordinator.judge(t, now));
        delayed.forEach(t -> coordinator.judge(t, now));
      }
      changes.place();
    });
  }

  /** When the next delayed task becomes ready, for a one-shot timer; {@code null} when none waits. */
  public Instant nextWakeup() {
    return delayed.isEmpty() ? null : delayed.peek().notBefore();
  }

  /** A placement pass, though nothing changed: the watchdog found the queue stalled. */
  public void retryPlacement(Instant now) {
    coordinator.run(now, changes::place);
  }

  // ---- placement reads -----------------------------------------------------------------------------------

  /** Places a hypothetical task of a type (P2) without dispatching: {@code can-handle} and {@code explain}. */
  public Placement explain(String type, Priority priority) {
    return pass.explain(type, priority);
  }

  /** Places an existing queued task without dispatching (why is it waiting?). */
  public Placement explain(TaskRecord t) {
    return pass.explain(t);
  }

  /**
   * Why a task that is not on a node waits, in one bounded line: its retry delay, its dependencies, or (queued)
   * the checks that turn each node away, grouped ({@link DispatchPass#waitingReason}); {@code null} for a task
   * on a node, a finished one, or a queued one some node could take now.
   */
  public String waitingReason(TaskRecord t, Instant now) {
    if (t.state() == TaskState.WAITING) {
      return waitingFor(t);
    }
    if (t.state() != TaskState.QUEUED) {
      return null;
    }
    if (t.notBefore() != null && t.notBefore().isAfter(now)) {
      return "waiting to retry at " + t.notBefore() + (t.unplaceable() != null ? "; " + t.unplaceable() : "");
    }
    return pass.waitingReason(t);
  }

  /** {@code "waiting for dependencies: a, b"}: the ones not yet succeeded, the first few named. */
  private String waitingFor(TaskRecord t) {
    List<String> open = new ArrayList<>();
    for (String d : t.spec().dependsOn()) {
      TaskRecord dep = tasks.get(d);
      if (dep == null || dep.state() != TaskState.SUCCEEDED) {
        open.add(d);
      }
    }
    int shown = Math.min(3, open.size());
    return "waiting for dependencies: " + String.join(", ", open.subList(0, shown))
        + (open.size() > shown ? " and " + (open.size() - shown) + " more" : "");
  }

  /** The task's requirements weighed against every node by every check, without placing it. */
  public io.heady.manager.placement.TaskVerdicts verdicts(TaskRecord t) {
    return pass.verdicts(t);
  }

  /** Tasks with equal signatures place alike (their explanations are the same). */
  public Object placementSignature(TaskRecord t) {
    return pass.request(t).signature();
  }

  /** Publishes an event about something decided outside the scheduler (enrollment, say). */
  public void publish(String type, JsonObject data) {
    sink.event(type, data);
  }

  // ---- reads ---------------------------------------------------------------------------------------------

  public NodeBook nodes() {
    return nodes;
  }

  public TaskBook tasks() {
    return tasks;
  }

  public TaskQueue queue() {
    return pass.queue();
  }

  public int delayedCount() {
    return delayed.size();
  }

  public Counters counters() {
    return counters;
  }

  public Policy policy() {
    return policy;
  }

  public Instant lastDispatch() {
    return pass.lastDispatch();
  }
}
