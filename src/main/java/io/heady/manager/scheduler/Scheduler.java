package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.Registration;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.placement.EffectiveLimits;
import io.heady.manager.placement.Placement;
import io.heady.manager.placement.PlacementRequest;
import io.heady.manager.placement.Placer;
import io.heady.manager.placement.Policy;
import io.heady.manager.placement.TaskType;
import io.heady.manager.task.Attempt;
import io.heady.manager.task.AttemptAccounting;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The single owner of node and task state. Every method takes {@code now}; nothing here reads a clock,
 * starts a timer or does I/O. Decisions leave through the {@link SchedulerSink}.
 */
public final class Scheduler {
  /**
   * The longest a dispatch's delivery takes to be answered: the event bus's request timeout, then the node's
   * HTTP API as the fallback, each with a connect; well above both.
   */
  static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);

  private final SchedulerSettings settings;
  private final Policy policy;
  private final Placer placer;
  private final SchedulerSink sink;
  private final IdSource ids;
  private final TaskBook tasks;
  private final NodeBook nodes = new NodeBook();
  private final TaskQueue queue = new TaskQueue(t -> request(t).signature());
  private final PriorityQueue<TaskRecord> delayed =
      new PriorityQueue<>((a, b) -> a.notBefore().compareTo(b.notBefore()));
  private final DagIndex dag = new DagIndex();
  private final Map<String, Integer> unmet = new HashMap<>();
  private final Map<String, Set<String>> avoid = new HashMap<>();
  private final Counters counters = new Counters();
  private final NodeLiveness liveness;
  private final Map<List<Object>, Verdict> verdicts = new HashMap<>();
  // why: nodes came or went (or changed hardware): queued tasks are checked again on the next tick
  private boolean topologyChanged;
  private long topology;
  private Instant lastDispatch;

  public Scheduler(SchedulerSettings settings, Policy policy, SchedulerSink sink, IdSource ids) {
    this.settings = settings;
    this.policy = policy;
    this.placer = new Placer(settings.placement());
    this.sink = sink;
    this.ids = ids;
    this.tasks = new TaskBook(settings.finishedInMemory());
    this.liveness = new NodeLiveness(settings.liveness());
  }

  // ---- nodes -------------------------------------------------------------------------------------------

  /** Registers a node, or re-registers it keeping its counters. Returns whether it is new. */
  public boolean register(Registration r, boolean local, Instant now) {
    NodeRecord n = nodes.get(r.nodeId());
    boolean created = n == null;
    if (created) {
      n = new NodeRecord(r, local ? NodeRecord.CLOUD : NodeRecord.PHYSICAL, now);
      nodes.put(n);
    } else {
      n.update(r);
      nodes.reindex(n);
    }
    topologyChanged = true;
    n.heartbeat(now, n.stats());
    // why: what the node lost while it was away belongs to the outage its registration ends
    NodeLiveness.Outcome o = reconcile(n, r.runningTaskIds(), now);
    resync(n, r.runningTaskIds());
    applyNode(n, o.then(liveness.registered(n, now)), "node re-registered", now);
    sink.nodeChanged(n);
    sink.event(created ? "node.registered" : "node.reregistered", nodeEvent(n));
    schedule(now);
    return created;
  }

  public NodeRecord heartbeat(Heartbeat hb, Instant now) {
    NodeRecord n = nodes.get(hb.nodeId());
    if (n == null) {
      throw new ApiException(ErrorCode.UNKNOWN_NODE, "node " + hb.nodeId() + " is not registered; register again",
          new JsonObject().put("node_id", hb.nodeId()));
    }
    n.heartbeat(now, hb.systemStats());
    boolean refusal = refusal(n, hb.refusing());
    hb.progress().forEach((taskId, progress) -> progressOf(n, taskId, progress, now));
    NodeLiveness.Outcome o = reconcile(n, hb.runningTaskIds(), now);
    boolean slots = resync(n, hb.runningTaskIds());
    o = o.then(liveness.heartbeat(n, now));
    applyNode(n, o, "", now);
    if (o.any() || slots || refusal) {
      sink.nodeChanged(n);
      schedule(now);
    }
    return n;
  }

  /**
   * Takes what the node says of its readiness for new work (a full disk, or nothing); returns whether that
   * changed, so placement runs again (a node that takes work again gets the tasks that waited for it).
   */
  private boolean refusal(NodeRecord n, Refusal r) {
    Refusal before = n.refusing();
    if (!n.refusing(r)) {
      return false;
    }
    if (r != null) {
      sink.event("node.refusing", nodeEvent(n).put("reason", r.reason()).put("message", r.message()));
    } else {
      sink.event("node.accepting", nodeEvent(n).put("was", before.reason()));
    }
    return true;
  }

  /** A running task's progress as its node measured it; growth of any measure ends a stagnation warning. */
  private void progressOf(NodeRecord n, String taskId, io.heady.common.protocol.TaskProgress p, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.nodeId().equals(n.nodeId()) || !t.progress(p, now)) {
      return;
    }
    if (t.stagnantSince() != null) {
      long quietS = Duration.between(t.stagnantSince(), now).toSeconds();
      t.stagnantSince(null);
      t.note(now, "watchdog", "moving again after a stagnation warning", null);
      sink.taskChanged(t);
      sink.event("watchdog.moving", taskEvent(t).put("warned_for_sec", quietS));
    }
  }

  /** The node's cluster member left: the process died or was cut off. */
  public void memberLost(String memberId, Instant now) {
    NodeRecord n = nodes.byMember(memberId);
    if (n != null) {
      applyNode(n, liveness.memberLost(n, "cluster member left", now), "cluster member left", now);
      schedule(now);
    }
  }

  /** The agent is shutting down on purpose: it is offline now, and anything it still held is requeued. */
  public NodeRecord deregister(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    applyNode(n, liveness.memberLost(n, "node deregistered", now), "node deregistered", now);
    sink.event("node.deregistered", nodeEvent(n));
    schedule(now);
    return n;
  }

  /** An active probe failed; enough in a row make the node unhealthy. */
  public void probeFailed(String nodeId, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null) {
      applyNode(n, liveness.probeFailed(n, now), "", now);
    }
  }

  /**
   * An active probe answered: proof the node is alive. {@code listed}, when the probe told it, is what the
   * node holds (it corrects the manager's view of its slots).
   */
  public void probeOk(String nodeId, List<String> listed, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n == null) {
      return;
    }
    boolean slots = listed != null && resync(n, listed);
    NodeLiveness.Outcome o = liveness.probeOk(n, now);
    applyNode(n, o, "", now);
    if (o.changed() || slots) {
      sink.nodeChanged(n);
      schedule(now);
    }
  }

  /** The node sent a report (starts, results): proof it is alive. */
  public void reported(String nodeId, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null && (n.status() == NodeStatus.SUSPECT || n.incidentSince() != null)) {
      NodeLiveness.Outcome o = liveness.reported(n, now);
      applyNode(n, o, "", now);
      if (o.changed()) {
        schedule(now);
      }
    }
  }

  public NodeRecord drain(String nodeId, boolean on, Instant now) {
    NodeRecord n = requireNode(nodeId);
    applyNode(n, liveness.drain(n, on, now), "", now);
    sink.nodeChanged(n);
    if (!on) {
      schedule(now);
    }
    return n;
  }

  /** An operator lifts a node's quarantine. */
  public NodeRecord reinstate(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    if (n.status() != NodeStatus.DEGRADED) {
      throw new ApiException(ErrorCode.CONFLICT, "node " + nodeId + " is " + n.status().wire()
          + ", not quarantined (degraded)");
    }
    applyNode(n, liveness.reinstate(n, now), "", now);
    sink.nodeChanged(n);
    sink.event("node.reinstated", nodeEvent(n));
    schedule(now);
    return n;
  }

  /**
   * Removes a node. Its live attempts are revoked and the node is told to stop them (their whole process
   * trees); the tasks run again elsewhere, or on that node once it registers again. Not the node's fault.
   */
  public NodeRecord deleteNode(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    for (String taskId : new ArrayList<>(n.running())) {
      TaskRecord t = tasks.get(taskId);
      n.running().remove(taskId);
      Attempt a = t == null ? null : t.currentAttempt();
      if (a == null || !a.nodeId().equals(n.nodeId())) {
        continue;
      }
      t.endAttempt("revoked", "node deleted", null, now);
      sink.cancel(n, taskId, a.leaseId());
      takeBack(t, n, "node " + n.name() + " deleted", now);
    }
    nodes.remove(nodeId);
    topologyChanged = true;
    sink.nodeRemoved(nodeId);
    sink.event("node.deleted", nodeEvent(n));
    schedule(now);
    return n;
  }

  private NodeRecord requireNode(String nodeId) {
    NodeRecord n = nodes.get(nodeId);
    if (n == null) {
      throw new ApiException(ErrorCode.UNKNOWN_NODE, "no node with id " + nodeId,
          new JsonObject().put("node_id", nodeId));
    }
    return n;
  }

  /**
   * Applies what a liveness step decided: the node's lost work is taken back (one fault for the incident),
   * and its incident and status changes are published and written.
   */
  private void applyNode(NodeRecord n, NodeLiveness.Outcome o, String lossReason, Instant now) {
    if (!o.any()) {
      return;
    }
    if (o.opened() != null) {
      sink.event("node.incident", nodeEvent(n).put("reason", o.opened()));
    }
    if (o.changed()) {
      sink.event("node." + n.status().wire(), nodeEvent(n).put("previous", o.previous().wire()));
      if (n.status() == NodeStatus.SUSPECT) {
        sink.probe(n); // why: a suspect node gets work back as soon as it answers; ask now, not in 30 s
      }
    }
    if (o.closed()) {
      sink.event("node.recovered", nodeEvent(n));
    }
    sink.nodeChanged(n);
    if (o.loseWork()) {
      loseAttempts(n, o.opened() != null ? o.opened() : lossReason, now);
    }
  }

  /** Revokes every live lease on the node and requeues the tasks (not charged to their retry budget). */
  private void loseAttempts(NodeRecord n, String why, Instant now) {
    boolean any = false;
    for (String taskId : new ArrayList<>(n.running())) {
      TaskRecord t = tasks.get(taskId);
      n.running().remove(taskId);
      if (t == null || !t.state().onNode()) {
        continue;
      }
      t.endAttempt("lost", why, null, now);
      any = true;
      takeBack(t, n, why, now);
    }
    if (any) {
      // why: one outage is one fault of the node, however many tasks it happened to hold
      applyNode(n, liveness.workLost(n, why, now), why, now);
    }
  }

  /**
   * A task whose attempt its node did not run to an end (lost with the node, never delivered, taken back)
   * goes back to the queue at once, preferring another node next time. This never uses the task's own
   * attempts; only a much larger bound on such requeues stops a task that no node ever runs.
   */
  private void takeBack(TaskRecord t, NodeRecord n, String why, Instant now) {
    t.countInfraRequeue();
    avoid.computeIfAbsent(t.id(), k -> new HashSet<>()).add(n.nodeId());
    if (t.infraRequeues() > settings.maxInfraRequeues()) {
      finish(t, TaskState.FAILED, "requeued " + t.infraRequeues() + " times because nodes did not run it to an"
          + " end (last: " + why + " on " + n.name() + "); the task itself never failed", now);
      return;
    }
    t.moveTo(TaskState.QUEUED, now, why + " on " + n.name());
    counters.requeued++;
    enqueue(t, now);
    sink.taskChanged(t);
    sink.event("task.requeued", taskEvent(t).put("reason", why).put("from_node", n.nodeId()));
  }

  /**
   * Since when the node must list an attempt: from when it took the dispatch (or reported it started). A
   * delivery still under way (the bus timing out, then HTTP) is the delivery's to settle, up to
   * {@link #DELIVERY_WAIT}; only a heartbeat grace after that is a missing attempt the node's fault.
   */
  private static Instant heldSince(Attempt a) {
    if (a.deliveredAt() != null) {
      return a.deliveredAt();
    }
    if (a.startedAt() != null) {
      return a.startedAt();
    }
    return a.dispatchedAt().plus(DELIVERY_WAIT);
  }

  /**
   * The node took these dispatches (the transport's answer). Until then a node that does not list them is not
   * missing them ({@link #heldSince}).
   */
  public void dispatchesDelivered(List<Dispatch> delivered, Instant now) {
    for (Dispatch d : delivered) {
      TaskRecord t = tasks.get(d.taskId());
      if (t != null && t.markAttemptDelivered(d.leaseId(), now)) {
        sink.taskChanged(t);
      }
    }
  }

  /**
   * Tasks the manager has live on the node but the agent no longer knows are lost (after a grace): one fault
   * for the incident.
   */
  private NodeLiveness.Outcome reconcile(NodeRecord n, List<String> agentRunning, Instant now) {
    if (n.cloud()) {
      return NodeLiveness.Outcome.NONE;
    }
    boolean lost = false;
    Set<String> listed = new HashSet<>(agentRunning);
    for (String taskId : new ArrayList<>(n.running())) {
      TaskRecord t = tasks.get(taskId);
      Attempt a = t == null ? null : t.currentAttempt();
      if (a != null && !listed.contains(taskId) && a.nodeId().equals(n.nodeId())
          && Duration.between(heldSince(a), now).compareTo(settings.heartbeat()) > 0) {
        n.running().remove(taskId);
        t.endAttempt("lost", "agent no longer runs it", null, now);
        takeBack(t, n, "agent no longer runs it", now);
        lost = true;
      }
    }
    return lost ? liveness.workLost(n, "the agent no longer runs tasks it was given", now)
        : NodeLiveness.Outcome.NONE;
  }

  /**
   * Rebuilds the manager's view of the node's slots from its own list: attempts it still holds that the
   * manager took back take a slot until the node has stopped them, and the node is asked (once per lease) to
   * stop them. Returns whether the view changed.
   */
  private boolean resync(NodeRecord n, List<String> listed) {
    boolean changed = n.fullClaimed();
    n.claimedFull(false);
    Map<String, String> was = new HashMap<>(n.foreign());
    n.foreign().clear();
    for (String taskId : listed) {
      if (n.running().contains(taskId)) {
        continue;
      }
      TaskRecord t = tasks.get(taskId);
      Attempt a = t == null ? null : t.lastAttemptOn(n.nodeId());
      // why: an attempt that ended normally is a result still on its way, not a slot
      if (a == null || a.live() || !TAKEN_BACK.contains(a.outcome())) {
        continue;
      }
      n.foreign().put(taskId, a.leaseId());
      if (!a.leaseId().equals(was.get(taskId))) {
        sink.cancel(n, taskId, a.leaseId());
      }
    }
    return changed || !was.equals(n.foreign());
  }

  /** Attempt outcomes that mean the manager took the attempt away while the node may still run it. */
  private static final Set<String> TAKEN_BACK = Set.of("lost", "undelivered", "revoked", "stagnant");

  // ---- recovery ----------------------------------------------------------------------------------------

  /**
   * Rebuilds state from the store after a restart: nodes (given until the TTL to heartbeat again),
   * unfinished tasks back in the queue, or on their node under their recovered lease so an agent that kept
   * running can still complete them. Tasks the manager's own executor was running died with it and are
   * requeued. A waiting task whose dependency is no longer unfinished only waits for the unfinished ones:
   * a failed dependency would already have skipped it.
   */
  public void restore(List<JsonObject> storedNodes, List<JsonObject> storedTasks, JsonObject storedCounters,
      Instant now) {
    for (JsonObject j : storedNodes) {
      NodeRecord n = NodeRecord.fromJson(j);
      n.heartbeat(now, n.stats());
      nodes.put(n);
    }
    List<TaskRecord> restored = new ArrayList<>();
    for (JsonObject j : storedTasks) {
      TaskRecord t = TaskRecord.fromJson(j);
      tasks.put(t);
      tasks.seqAtLeast(t.seq());
      restored.add(t);
      if (t.dagId() != null) {
        dag.link(t.id(), t.spec().dependsOn());
      }
    }
    for (TaskRecord t : restored) {
      switch (t.state()) {
        case WAITING -> {
          int waiting = 0;
          for (String d : t.spec().dependsOn()) {
            TaskRecord dep = tasks.get(d);
            if (dep != null && dep.state() != TaskState.SUCCEEDED) {
              waiting++;
            }
          }
          if (waiting == 0) {
            t.moveTo(TaskState.QUEUED, now, "dependencies succeeded (recovered)");
            enqueue(t, now);
            sink.taskChanged(t);
          } else {
            unmet.put(t.id(), waiting);
          }
          dag.link(t.id(), t.spec().dependsOn());
        }
        case QUEUED -> {
          if (t.notBefore() != null && t.notBefore().isAfter(now)) {
            delayed.add(t);
          } else {
            enqueue(t, now);
          }
        }
        case DISPATCHED, RUNNING -> {
          Attempt a = t.currentAttempt();
          NodeRecord n = a == null ? null : nodes.get(a.nodeId());
          if (a != null && n != null && !n.cloud()) {
            n.running().add(t.id());
          } else {
            if (a != null) {
              t.endAttempt("lost", "the manager restarted", null, now);
            }
            t.moveTo(TaskState.QUEUED, now, "requeued after a manager restart");
            enqueue(t, now);
            sink.taskChanged(t);
          }
        }
        default -> throw new IllegalStateException("a finished task among the unfinished: " + t.id());
      }
    }
    counters.restore(storedCounters);
    topologyChanged = true;
    sink.event("manager.recovered", new JsonObject().put("nodes", nodes.size()).put("tasks", restored.size()));
  }

  // ---- time --------------------------------------------------------------------------------------------

  /**
   * Expires silent nodes, releases tasks whose retry delay has passed, tells queued tasks that no node could
   * ever take them after the cluster changed, and runs a dispatch pass.
   */
  public void tick(Instant now) {
    for (NodeRecord n : new ArrayList<>(nodes.all())) {
      NodeLiveness.Outcome o = liveness.silent(n, settings.ttl(), settings.offline(), now);
      applyNode(n, o, "no heartbeat", now);
    }
    while (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(now)) {
      TaskRecord t = delayed.poll();
      if (t.state() == TaskState.QUEUED) {
        t.notBefore(null);
        queue.add(t);
      }
    }
    if (topologyChanged) {
      topologyChanged = false;
      topology++;
      queue.forEach(t -> checkPlaceable(t, now));
      delayed.forEach(t -> checkPlaceable(t, now));
    }
    schedule(now);
  }

  /** When the next delayed task becomes ready, for a one-shot timer; {@code null} when none waits. */
  public Instant nextWakeup() {
    return delayed.isEmpty() ? null : delayed.peek().notBefore();
  }

  // ---- tasks -------------------------------------------------------------------------------------------

  /** The result of a submission: each task, and whether this call created it (false: idempotent repeat). */
  public record Submitted(TaskRecord task, boolean created) {}

  /**
   * A validated submission whose new tasks exist but are not yet the scheduler's: the caller writes
   * {@link #documents()} to the store and then {@link #commit}s it, so a submission the store refused leaves
   * nothing behind.
   */
  public static final class Prepared {
    private final List<Submitted> out = new ArrayList<>();
    private final List<TaskRecord> fresh = new ArrayList<>();
    private String dagId;
    private List<String> criticalPath = List.of();

    public List<JsonObject> documents() {
      List<JsonObject> docs = new ArrayList<>(fresh.size());
      fresh.forEach(t -> docs.add(t.toJson()));
      return docs;
    }

    public boolean createsNothing() {
      return fresh.isEmpty();
    }

    public List<Submitted> existing() {
      return out;
    }
  }

  /** Validates and accepts one task or a DAG batch in one step (prepare and commit); see {@link Submission}. */
  public List<Submitted> submit(List<io.heady.common.protocol.TaskSpec> specs, boolean batch, Instant now) {
    return commit(prepare(specs, batch, now), now);
  }

  /** Validates a submission and builds its new tasks in their first state, changing nothing yet. */
  public Prepared prepare(List<io.heady.common.protocol.TaskSpec> specs, boolean batch, Instant now) {
    Submission s = new Submission(specs, batch, policy, tasks, ids);
    Prepared p = new Prepared();
    p.dagId = s.isDag() ? ids.dagId() : null;
    p.criticalPath = s.criticalPath();
    Set<String> critical = new HashSet<>(p.criticalPath);
    Map<String, TaskRecord> batchIds = new java.util.HashMap<>();
    for (io.heady.common.protocol.TaskSpec spec : specs) {
      TaskRecord existing = spec.id() == null ? null : tasks.get(spec.id());
      if (existing != null) {
        p.out.add(new Submitted(existing, false));
        continue;
      }
      String id = s.idOf(spec);
      TaskRecord t = new TaskRecord(id, spec, tasks.nextSeq(), p.dagId, now);
      t.limits(EffectiveLimits.of(spec, policy.type(spec.type())).limits());
      t.critical(critical.contains(id));
      batchIds.put(id, t);
      p.fresh.add(t);
      p.out.add(new Submitted(t, true));
    }
    for (TaskRecord t : p.fresh) {
      boolean waits = false;
      for (String d : t.spec().dependsOn()) {
        TaskRecord dep = batchIds.containsKey(d) ? batchIds.get(d) : tasks.get(d);
        waits |= batchIds.containsKey(d) || dep.state() != TaskState.SUCCEEDED;
      }
      t.start(waits ? TaskState.WAITING : TaskState.QUEUED, now);
    }
    return p;
  }

  /** Makes a prepared submission the scheduler's: queued, linked, counted, and placed where it can be. */
  public List<Submitted> commit(Prepared p, Instant now) {
    List<Submitted> out = new ArrayList<>();
    List<TaskRecord> created = new ArrayList<>();
    for (Submitted x : p.out) {
      TaskRecord t = x.task();
      if (!x.created()) {
        out.add(x);
        continue;
      }
      TaskRecord raced = tasks.get(t.id());
      if (raced != null) {
        out.add(new Submitted(raced, false)); // the same client id was committed meanwhile
        continue;
      }
      tasks.put(t);
      dag.link(t.id(), t.spec().dependsOn());
      counters.submitted++;
      created.add(t);
      out.add(x);
    }
    if (p.dagId != null && !created.isEmpty()) {
      tasks.dag(p.dagId, created.stream().map(TaskRecord::id).toList(), p.criticalPath);
    }
    for (TaskRecord t : created) {
      if (t.state().terminal()) {
        // already skipped by a dependency earlier in this batch
      } else if (t.state() == TaskState.QUEUED) {
        queue.add(t);
      } else {
        int waitingOn = 0;
        String doomedBy = null;
        for (String d : t.spec().dependsOn()) {
          TaskState depState = tasks.get(d).state();
          if (depState != TaskState.SUCCEEDED) {
            waitingOn++;
          }
          if (depState.dooms() && doomedBy == null) {
            doomedBy = "dependency " + d + " " + depState.wire();
          }
        }
        if (waitingOn == 0) {
          t.moveTo(TaskState.QUEUED, now, "dependencies succeeded");
          queue.add(t);
        } else {
          unmet.put(t.id(), waitingOn);
          if (doomedBy != null) {
            finish(t, TaskState.SKIPPED, doomedBy, now);
          }
        }
      }
      sink.taskChanged(t);
      sink.event("task.submitted", taskEvent(t));
      if (t.state() == TaskState.QUEUED) {
        checkPlaceable(t, now); // why: after task.submitted, so a listener hears of the task first
      }
    }
    schedule(now);
    return out;
  }

  /** The node's "running" report: the attempt started. A node reports only its own attempts. */
  public void started(String nodeId, String taskId, String leaseId, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a != null && a.leaseId().equals(leaseId) && a.nodeId().equals(nodeId)) {
      t.markAttemptStarted(now);
      t.progressed(now);
      if (t.state() == TaskState.DISPATCHED) {
        t.moveTo(TaskState.RUNNING, now, null);
        sink.taskChanged(t);
        sink.event("task.running", taskEvent(t));
      }
    }
  }

  /** The result of a completion report. */
  public record Completed(boolean accepted, boolean duplicate, TaskRecord task) {}

  /**
   * A node's result. Only the current lease completes the task; the same result again is a duplicate
   * (accepted, counted once); a revoked lease's result is kept as a late result and refused with 409.
   */
  public Completed complete(Completion c, Instant now) {
    TaskRecord t = tasks.get(c.taskId());
    if (t == null) {
      throw new ApiException(ErrorCode.UNKNOWN_TASK, "no task with id " + c.taskId(),
          new JsonObject().put("task_id", c.taskId()));
    }
    Attempt a = t.attemptByLease(c.leaseId());
    if (a == null) {
      throw new ApiException(ErrorCode.STALE_LEASE, "lease " + c.leaseId() + " is not a lease of task "
          + c.taskId(), new JsonObject().put("task_id", c.taskId()).put("lease_id", c.leaseId()));
    }
    if (!a.nodeId().equals(c.nodeId())) {
      throw new ApiException(ErrorCode.STALE_LEASE, "lease " + c.leaseId() + " belongs to node " + a.nodeId()
          + ", not " + c.nodeId(), new JsonObject().put("task_id", c.taskId()).put("lease_id", c.leaseId()));
    }
    if (!a.live()) {
      boolean cancelEcho = "revoked".equals(a.outcome()) && "cancelled".equals(c.status())
          && t.state() == TaskState.CANCELLED;
      if (a.outcome().equals(c.status()) || cancelEcho) {
        // the same result again, or the node confirming the cancel it was asked for: counted once
        if (cancelEcho && !a.usage().known() && c.usage().known()) {
          AttemptAccounting.used(a, c); // why: what the cancelled attempt used is known only now
          sink.taskChanged(t);
        }
        return new Completed(true, true, t);
      }
      t.recordLateResult(a, c.toJson().put("received_at", now.toString()), now);
      counters.lateResults++;
      sink.taskChanged(t);
      sink.event("task.late_result", taskEvent(t).put("lease_id", a.leaseId()));
      throw new ApiException(ErrorCode.STALE_LEASE, "lease " + c.leaseId() + " was revoked (" + a.outcome()
          + "); the result is recorded but not counted",
          new JsonObject().put("task_id", c.taskId()).put("lease_id", c.leaseId()).put("outcome", a.outcome()));
    }
    NodeRecord n = nodes.get(a.nodeId());
    if (n != null) {
      n.running().remove(t.id());
    }
    if (c.status().equals("cancelled")) {
      // The node stopped it without being asked (shutting down): not the task's fault.
      AttemptAccounting.used(t.endAttempt("cancelled", c.error() == null ? "stopped by the node" : c.error(),
          c.exitCode(), now), c);
      if (n != null) {
        takeBack(t, n, "stopped by the node", now);
        applyNode(n, liveness.workLost(n, "the node stopped a task it was given", now), "", now);
      } else {
        t.moveTo(TaskState.QUEUED, now, "stopped by a node that is gone");
        enqueue(t, now);
        sink.taskChanged(t);
      }
      schedule(now);
      return new Completed(true, false, t);
    }
    AttemptAccounting.Outcome o = AttemptAccounting.completed(t, c, now);
    if (n != null) {
      // why: a task stopped at its own limit is the task's failure, not the node's: the node did its job
      applyNode(n, liveness.ran(n, o.succeeded(), c.durationMs(), now), "", now);
      sink.nodeChanged(n);
    }
    counters.durationSumMs += c.durationMs();
    counters.durationCount++;
    if (o.succeeded()) {
      finish(t, TaskState.SUCCEEDED, null, o.event(), now);
    } else if (o.retry()) {
      retryLater(t, o.failure(), o.event(), now);
    } else {
      finish(t, c.status().equals("timed_out") ? TaskState.TIMED_OUT : TaskState.FAILED, o.failure(), o.event(), now);
    }
    schedule(now);
    return new Completed(true, false, t);
  }

  private void retryLater(TaskRecord t, String why, JsonObject event, Instant now) {
    long base = settings.retryBase().toMillis();
    long delay = Math.min(settings.retryMax().toMillis(), base << Math.min(20, t.taskFailures() - 1));
    t.moveTo(TaskState.QUEUED, now, "retry after " + why);
    t.notBefore(now.plusMillis(delay));
    delayed.add(t);
    checkPlaceable(t, now);
    sink.taskChanged(t);
    sink.event("task.retrying", taskEvent(t).mergeIn(event).put("reason", why).put("delay_ms", delay));
  }

  /**
   * The watchdog found a running task without progress past its limit, and its action is {@code warn}: an
   * event and a mark on the task, once per quiet spell (progress clears the mark). The task runs on.
   */
  public void stagnantWarn(String taskId, Duration silentFor, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || t.stagnantSince() != null) {
      return;
    }
    t.stagnantSince(now);
    String why = "no progress (output, CPU, I/O or report) for " + silentFor.toSeconds() + " s";
    t.note(now, "watchdog", "stagnant: " + why + "; left running", null);
    sink.taskChanged(t);
    sink.event("watchdog.stagnant", taskEvent(t).put("reason", why).put("silent_sec", silentFor.toSeconds())
        .put("action", "warn"));
  }

  /**
   * The watchdog found a running task without progress past its limit, and its action is {@code reassign}:
   * the ladder is reassign it to another node, then reassign it one priority higher, then fail it with reason
   * {@code stagnation} (never faked as success). The stuck process is stopped each time; none of this
   * charges the task's retry budget. With {@code failNow} (action {@code fail}) it fails at once.
   */
  public void stagnant(String taskId, Duration silentFor, boolean failNow, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null) {
      return;
    }
    int step = failNow ? 3 : t.countStagnation();
    String why = "no progress (output, CPU, I/O or report) for " + silentFor.toSeconds() + " s";
    t.endAttempt("stagnant", why, null, now);
    NodeRecord n = nodes.get(a.nodeId());
    if (n != null) {
      n.running().remove(taskId);
      sink.cancel(n, taskId, a.leaseId());
      sink.nodeChanged(n);
    }
    JsonObject ev = taskEvent(t).put("reason", why).put("step", step).put("from_node", a.nodeId());
    if (step >= 3) {
      t.note(now, "watchdog", "failed: " + why + (failNow ? "" : " (third time)"), null);
      sink.event("watchdog.failed", ev);
      finish(t, TaskState.FAILED, "stagnation: " + why, now);
      schedule(now);
      return;
    }
    if (step == 2) {
      t.escalate();
      t.note(now, "watchdog", "escalated to " + t.priority() + " and reassigned: " + why, null);
      sink.event("watchdog.escalated", ev.put("priority", t.priority().name()));
    } else {
      t.note(now, "watchdog", "reassigned: " + why, null);
      sink.event("watchdog.reassigned", ev);
    }
    avoid.computeIfAbsent(t.id(), k -> new HashSet<>()).add(a.nodeId());
    t.moveTo(TaskState.QUEUED, now, "watchdog: " + why);
    enqueue(t, now);
    sink.taskChanged(t);
    schedule(now);
  }

  /** Tasks on nodes whose last progress is older than their limit, with how long they were silent. */
  public Map<String, Duration> stagnantTasks(Instant now, java.util.function.Function<TaskRecord, Duration> limit) {
    Map<String, Duration> out = new java.util.LinkedHashMap<>();
    for (NodeRecord n : nodes.all()) {
      for (String id : n.running()) {
        TaskRecord t = tasks.get(id);
        if (t == null || t.lastProgressAt() == null) {
          continue;
        }
        Duration silent = Duration.between(t.lastProgressAt(), now);
        if (silent.compareTo(limit.apply(t)) > 0) {
          out.put(id, silent);
        }
      }
    }
    return out;
  }

  /**
   * A dispatch never started its task. It uses none of the task's attempts and never fails it: the task goes
   * back to the queue and the next placement prefers another node (a pinned task waits for its node). An
   * unreachable or closing node is {@code suspect} (no work until it proves it is alive; unreachable is one
   * fault per incident); a node that answered "full" is taken as full until it lists its tasks, which
   * corrects the manager's view of its slots, instead of being tried again at once.
   */
  public void dispatchFailed(String taskId, String leaseId, String why, Undelivered kind, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.leaseId().equals(leaseId)) {
      return;
    }
    t.endAttempt("undelivered", why, null, now);
    counters.failovers++;
    NodeRecord n = nodes.get(a.nodeId());
    if (n == null) {
      t.moveTo(TaskState.QUEUED, now, why);
      enqueue(t, now);
      sink.taskChanged(t);
      schedule(now);
      return;
    }
    n.running().remove(taskId);
    takeBack(t, n, why, now);
    switch (kind) {
      case UNREACHABLE -> applyNode(n, liveness.undelivered(n, why, true, now), why, now);
      case CLOSING -> applyNode(n, liveness.undelivered(n, why, false, now), why, now);
      case FULL, REFUSED -> {
        // why: the node answered, so it is alive; what it holds comes with its next heartbeat or probe
        n.claimedFull(true);
        sink.nodeChanged(n);
        sink.probe(n);
      }
      case DISK_FULL -> {
        // why: alive and not at fault; it gets no work until a heartbeat says its disk has room again
        if (n.refusing(Refusal.diskFull(why))) {
          sink.event("node.refusing", nodeEvent(n).put("reason", Refusal.DISK_FULL).put("message", why));
        }
        sink.nodeChanged(n);
      }
      default -> throw new IllegalStateException("unknown kind " + kind);
    }
    schedule(now);
  }

  /**
   * The attempt's secrets could not be given to it, so it was never sent. When that lasts (a secret the task names
   * was removed after it was submitted) the task fails with reason {@code secret_unavailable}, naming the secret;
   * otherwise (the store did not answer) the attempt is taken back and the task waits to be placed again, with
   * none of its attempts used. The node is not at fault either way.
   */
  public void secretsUnavailable(String taskId, String leaseId, String why, boolean lasting, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.leaseId().equals(leaseId)) {
      return;
    }
    NodeRecord n = nodes.get(a.nodeId());
    if (n != null) {
      n.running().remove(taskId);
      sink.nodeChanged(n);
    }
    if (lasting) {
      t.endAttempt("failed", why, null, now);
      finish(t, TaskState.FAILED, io.heady.common.protocol.Completion.SECRET_UNAVAILABLE + ": " + why, now);
    } else {
      t.endAttempt("undelivered", why, null, now);
      t.countInfraRequeue();
      if (t.infraRequeues() > settings.maxInfraRequeues()) {
        finish(t, TaskState.FAILED, io.heady.common.protocol.Completion.SECRET_UNAVAILABLE + ": " + why
            + " (tried " + t.infraRequeues() + " times)", now);
      } else {
        t.moveTo(TaskState.QUEUED, now, why);
        t.notBefore(now.plus(settings.retryBase()));
        delayed.add(t);
        counters.requeued++;
        sink.taskChanged(t);
        sink.event("task.requeued", taskEvent(t).put("reason", why).put("from_node", a.nodeId()));
      }
    }
    schedule(now);
  }

  public TaskRecord cancel(String taskId, Instant now) {
    TaskRecord t = tasks.get(taskId);
    if (t == null) {
      throw new ApiException(ErrorCode.UNKNOWN_TASK, "no task with id " + taskId,
          new JsonObject().put("task_id", taskId));
    }
    if (t.state().terminal()) {
      throw new ApiException(ErrorCode.CONFLICT, "task " + taskId + " is already " + t.state().wire(),
          new JsonObject().put("task_id", taskId).put("status", t.state().wire()));
    }
    if (t.state().onNode()) {
      Attempt a = t.endAttempt("revoked", "cancelled", null, now);
      avoid.remove(t.id());
      NodeRecord n = nodes.get(a.nodeId());
      if (n != null) {
        n.running().remove(taskId);
        sink.cancel(n, taskId, a.leaseId());
      }
    } else {
      queue.remove(t);
      delayed.remove(t);
    }
    finish(t, TaskState.CANCELLED, "cancelled by request", now);
    schedule(now);
    return t;
  }

  private void finish(TaskRecord t, TaskState end, String why, Instant now) {
    finish(t, end, why, new JsonObject(), now);
  }

  /** Ends the task; {@code event} is merged into its end event (what its last attempt used). */
  private void finish(TaskRecord t, TaskState end, String why, JsonObject event, Instant now) {
    t.moveTo(end, now, why);
    switch (end) {
      case SUCCEEDED -> counters.completed++;
      case FAILED, TIMED_OUT -> counters.failed++;
      case CANCELLED -> counters.cancelled++;
      case SKIPPED -> counters.skipped++;
      default -> throw new IllegalStateException("not an end state: " + end);
    }
    avoid.remove(t.id());
    unmet.remove(t.id());
    tasks.finished(t);
    sink.taskChanged(t);
    sink.event("task." + end.wire(), taskEvent(t).mergeIn(event));
    for (String d : dag.dependents(t.id())) {
      TaskRecord dep = tasks.get(d);
      if (dep == null || dep.state() != TaskState.WAITING) {
        continue;
      }
      if (end == TaskState.SUCCEEDED) {
        int left = unmet.merge(d, -1, Integer::sum);
        if (left <= 0) {
          unmet.remove(d);
          dep.moveTo(TaskState.QUEUED, now, "dependencies succeeded");
          enqueue(dep, now);
          sink.taskChanged(dep);
        }
      } else {
        finish(dep, TaskState.SKIPPED, "dependency " + t.id() + " " + end.wire(), now);
      }
    }
    if (end != TaskState.SUCCEEDED || dag.dependents(t.id()).isEmpty()) {
      dag.forget(t.id());
    }
  }

  // ---- placement ---------------------------------------------------------------------------------------

  /** One dispatch pass: queued tasks in fair order onto the best free nodes, until slots or tasks run out. */
  public void schedule(Instant now) {
    int free = queue.size() == 0 ? 0 : nodes.slotsForPass();
    if (free == 0) {
      return;
    }
    Set<Object> failed = new HashSet<>();
    TaskQueue.Cursor cur = queue.cursor();
    for (TaskRecord t = cur.next(); t != null; t = cur.next()) {
      Object sig = queue.signature(t);
      if (failed.contains(sig)) {
        continue;
      }
      PlacementRequest req = request(t);
      Placement p = placer.place(req, nodes.list());
      if (!p.placed()) {
        failed.add(sig);
        if (failed.size() >= queue.signatures()) {
          break; // why: every kind of task queued has failed this pass; the rest would fail alike
        }
        continue;
      }
      cur.take();
      dispatch(t, p, req, now);
      if (--free == 0) {
        break; // why: each dispatch takes one slot; counting them down spares a walk over every node
      }
    }
  }

  /** Puts a task in the queue, telling it at once when no node of the cluster could ever take it. */
  private void enqueue(TaskRecord t, Instant now) {
    queue.add(t);
    checkPlaceable(t, now);
  }

  /** A verdict of {@link Placer#unplaceable}, valid while the cluster's nodes stay as they were. */
  private record Verdict(long topology, String reason) {}

  /**
   * Whether some node of the cluster could ever take the task (see {@link Placer#unplaceable}); when none
   * could, the task says why in its {@code waiting_reason} and {@code task.unplaceable} is published once. It
   * still waits: it is placed as soon as such a node registers. Verdicts are kept per kind of task until the
   * set of nodes changes, so a deep queue costs one evaluation per kind.
   */
  private void checkPlaceable(TaskRecord t, Instant now) {
    List<Object> key = java.util.Arrays.asList(t.spec().type(), t.spec().requires(), t.spec().node());
    Verdict v = verdicts.get(key);
    if (v == null || v.topology() != topology) {
      if (verdicts.size() > 10_000) {
        verdicts.clear();
      }
      v = new Verdict(topology, placer.unplaceable(request(t), nodes.list()));
      verdicts.put(key, v);
    }
    String why = v.reason();
    if (java.util.Objects.equals(why, t.unplaceable())) {
      return;
    }
    t.unplaceable(why);
    sink.taskChanged(t);
    if (why != null) {
      t.note(now, "unplaceable", why, null);
      sink.event("task.unplaceable", taskEvent(t).put("reason", why));
    }
  }

  PlacementRequest request(TaskRecord t) {
    TaskType type = policy.type(t.spec().type());
    return new PlacementRequest(t.id(), type, t.priority(), t.critical(), t.spec().requires(), t.spec().node(),
        false, Set.copyOf(avoid.getOrDefault(t.id(), Set.of())));
  }

  private void dispatch(TaskRecord t, Placement p, PlacementRequest req, Instant now) {
    NodeRecord n = p.node();
    String lease = ids.leaseId();
    t.newAttempt(lease, n.nodeId(), now);
    t.progressed(now);
    n.running().add(t.id());
    t.placedOn(n.name(), n.tier().name());
    t.explain(p.explain());
    t.moveTo(TaskState.DISPATCHED, now, p.summary());
    counters.routed++;
    if (p.fallback()) {
      counters.failovers++;
    }
    lastDispatch = now;
    TaskType type = req.type();
    long timeout = t.spec().timeoutMs() > 0 ? t.spec().timeoutMs() : type.timeoutMs();
    EffectiveLimits held = EffectiveLimits.of(t.spec(), type);
    t.limits(held.limits());
    Dispatch d = new Dispatch(t.id(), lease, t.attempts().size(), t.spec().type(), t.priority().name(),
        t.spec().command(), t.spec().argv(), t.spec().env(), t.spec().cwd(), timeout, type.noop(),
        req.speed().name(), held.limits(), held.runAs(), held.allowDaemon(), Map.of());
    sink.taskChanged(t);
    sink.event("task.dispatched", taskEvent(t));
    sink.dispatch(n, d);
  }

  /** Places a hypothetical task of a type (P2) without dispatching: {@code can-handle} and {@code explain}. */
  public Placement explain(String type, io.heady.common.protocol.Priority priority) {
    PlacementRequest req = new PlacementRequest("(probe)", policy.type(type), priority, false,
        io.heady.common.protocol.Requirements.NONE, null, false, Set.of());
    return placer.explainAll(req, nodes.list());
  }

  /** Tasks with equal signatures place alike (their explanations are the same). */
  public Object placementSignature(TaskRecord t) {
    return request(t).signature();
  }

  /** Places an existing queued task without dispatching (why is it waiting?). */
  public Placement explain(TaskRecord t) {
    return placer.explainAll(request(t), nodes.list());
  }

  /** Publishes an event about something decided outside the scheduler (enrollment, say). */
  public void publish(String type, JsonObject data) {
    sink.event(type, data);
  }

  /**
   * A node's credential is being revoked: like a delete, its attempts are taken back and it is told to stop
   * them, and its record goes; unlike a delete, it does not come back (it cannot register any more).
   */
  public NodeRecord revokeNode(String nodeId, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null) {
      deleteNode(nodeId, now);
    }
    sink.event("node.revoked", new JsonObject().put("node_id", nodeId));
    return n;
  }

  // ---- reads -------------------------------------------------------------------------------------------

  public NodeBook nodes() {
    return nodes;
  }

  public TaskBook tasks() {
    return tasks;
  }

  public TaskQueue queue() {
    return queue;
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
    return lastDispatch;
  }

  static JsonObject nodeEvent(NodeRecord n) {
    return new JsonObject().put("node_id", n.nodeId()).put("name", n.name()).put("status", n.status().wire())
        .put("tier", n.tier().name());
  }

  static JsonObject taskEvent(TaskRecord t) {
    return new JsonObject().put("task_id", t.id()).put("status", t.state().wire()).put("type", t.spec().type())
        .put("priority", t.priority().name()).put("node_id", t.nodeId());
  }
}
