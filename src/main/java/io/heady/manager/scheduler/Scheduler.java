package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.manager.node.NodeEvent;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.Reliability;
import io.heady.manager.placement.Placement;
import io.heady.manager.placement.PlacementRequest;
import io.heady.manager.placement.Placer;
import io.heady.manager.placement.Policy;
import io.heady.manager.placement.TaskType;
import io.heady.manager.task.Attempt;
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
  private Instant lastDispatch;

  public Scheduler(SchedulerSettings settings, Policy policy, SchedulerSink sink, IdSource ids) {
    this.settings = settings;
    this.policy = policy;
    this.placer = new Placer(settings.placement());
    this.sink = sink;
    this.ids = ids;
    this.tasks = new TaskBook(settings.finishedInMemory());
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
    n.heartbeat(now, n.stats());
    changed(n, n.apply(NodeEvent.REGISTERED, now), now);
    boolean lost = reconcile(n, r.runningTaskIds(), now);
    sink.nodeChanged(n);
    sink.event(created ? "node.registered" : "node.reregistered", nodeEvent(n));
    if (lost) {
      schedule(now);
    }
    return created;
  }

  public NodeRecord heartbeat(Heartbeat hb, Instant now) {
    NodeRecord n = nodes.get(hb.nodeId());
    if (n == null) {
      throw new ApiException(ErrorCode.UNKNOWN_NODE, "node " + hb.nodeId() + " is not registered; register again",
          new JsonObject().put("node_id", hb.nodeId()));
    }
    n.heartbeat(now, hb.systemStats());
    n.probeOk();
    hb.progress().forEach((taskId, progress) -> {
      TaskRecord t = tasks.get(taskId);
      Attempt a = t == null ? null : t.currentAttempt();
      if (a != null && a.nodeId().equals(n.nodeId())) {
        t.output(progress.outputBytes(), now);
      }
    });
    NodeStatus prev = n.apply(NodeEvent.HEARTBEAT, now);
    changed(n, prev, now);
    boolean lost = reconcile(n, hb.runningTaskIds(), now);
    if (prev != null || lost) {
      sink.nodeChanged(n);
      schedule(now);
    }
    return n;
  }

  /** The node's cluster member left: the process died or was cut off. */
  public void memberLost(String memberId, Instant now) {
    NodeRecord n = nodes.byMember(memberId);
    if (n != null) {
      nodeLost(n, NodeEvent.MEMBER_LOST, "cluster member left", now);
      schedule(now);
    }
  }

  /** The agent is shutting down on purpose: it is offline now, and anything it still held is requeued. */
  public NodeRecord deregister(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    nodeLost(n, NodeEvent.MEMBER_LOST, "node deregistered", now);
    sink.event("node.deregistered", nodeEvent(n));
    return n;
  }

  /** An active probe failed; enough in a row make the node unhealthy. */
  public void probeFailed(String nodeId, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null && n.probeFailed() >= settings.probeFailures()) {
      NodeStatus prev = n.apply(NodeEvent.PROBES_FAILED, now);
      changed(n, prev, now);
      if (prev != null) {
        sink.nodeChanged(n);
      }
    }
  }

  public void probeOk(String nodeId) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null) {
      n.probeOk();
    }
  }

  public NodeRecord drain(String nodeId, boolean on, Instant now) {
    NodeRecord n = requireNode(nodeId);
    changed(n, n.apply(on ? NodeEvent.DRAIN_ON : NodeEvent.DRAIN_OFF, now), now);
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
    changed(n, n.apply(NodeEvent.REINSTATED, now), now);
    sink.nodeChanged(n);
    schedule(now);
    return n;
  }

  /** Removes a node; its running tasks are requeued, not forgotten. */
  public NodeRecord deleteNode(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    loseAttempts(n, "node deleted", now);
    nodes.remove(nodeId);
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

  private void nodeLost(NodeRecord n, NodeEvent event, String why, Instant now) {
    changed(n, n.apply(event, now), now);
    loseAttempts(n, why, now);
    sink.nodeChanged(n);
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
      requeueAfterInfraFailure(t, n, why, now);
    }
    if (any) {
      // why: one crash is one fault of the node, however many tasks it happened to hold
      n.recordFault();
      checkQuarantine(n, now);
    }
  }

  private void requeueAfterInfraFailure(TaskRecord t, NodeRecord n, String why, Instant now) {
    t.countInfraRequeue();
    avoid.computeIfAbsent(t.id(), k -> new HashSet<>()).add(n.nodeId());
    if (t.infraRequeues() > settings.maxInfraRequeues()) {
      finish(t, TaskState.FAILED, "lost " + t.infraRequeues() + " times with its node (last: " + why + ")", now);
      return;
    }
    t.moveTo(TaskState.QUEUED, now, why + " on " + n.name());
    counters.requeued++;
    queue.add(t);
    sink.taskChanged(t);
    sink.event("task.requeued", taskEvent(t).put("reason", why).put("from_node", n.nodeId()));
  }

  /**
   * Tasks the manager has live on the node but the agent no longer knows are lost (after a grace). Returns
   * whether any was.
   */
  private boolean reconcile(NodeRecord n, List<String> agentRunning, Instant now) {
    if (n.cloud()) {
      return false;
    }
    boolean lost = false;
    Set<String> listed = new HashSet<>(agentRunning);
    for (String taskId : new ArrayList<>(n.running())) {
      TaskRecord t = tasks.get(taskId);
      Attempt a = t == null ? null : t.currentAttempt();
      // why: a dispatch may still be in flight when the agent reports; only older ones are really missing
      if (a != null && !listed.contains(taskId) && a.nodeId().equals(n.nodeId())
          && Duration.between(a.dispatchedAt(), now).compareTo(settings.heartbeat()) > 0) {
        n.running().remove(taskId);
        t.endAttempt("lost", "agent no longer runs it", null, now);
        requeueAfterInfraFailure(t, n, "agent no longer runs it", now);
        lost = true;
      }
    }
    if (lost) {
      n.recordFault(); // one loss, one fault (see loseAttempts)
      checkQuarantine(n, now);
    }
    return lost;
  }

  private void checkQuarantine(NodeRecord n, Instant now) {
    if (n.reliability() < Reliability.QUARANTINE_BELOW && n.history() >= Reliability.QUARANTINE_MIN_HISTORY
        && n.status() != NodeStatus.DEGRADED) {
      changed(n, n.apply(NodeEvent.RELIABILITY_LOW, now), now);
    }
  }

  private void changed(NodeRecord n, NodeStatus prev, Instant now) {
    if (prev != null) {
      sink.event("node." + n.status().wire(), nodeEvent(n).put("previous", prev.wire()));
    }
  }

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
            queue.add(t);
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
            queue.add(t);
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
            queue.add(t);
            sink.taskChanged(t);
          }
        }
        default -> throw new IllegalStateException("a finished task among the unfinished: " + t.id());
      }
    }
    counters.restore(storedCounters);
    sink.event("manager.recovered", new JsonObject().put("nodes", nodes.size()).put("tasks", restored.size()));
  }

  // ---- time --------------------------------------------------------------------------------------------

  /** Expires silent nodes, releases tasks whose retry delay has passed, and runs a dispatch pass. */
  public void tick(Instant now) {
    for (NodeRecord n : new ArrayList<>(nodes.all())) {
      Duration silent = Duration.between(n.lastHeartbeat(), now);
      if (silent.compareTo(settings.ttl()) > 0) {
        NodeStatus s = n.status();
        boolean live = s == NodeStatus.PENDING || s == NodeStatus.ACTIVE || s == NodeStatus.DRAINING
            || s == NodeStatus.UNHEALTHY;
        if (live || !n.running().isEmpty()) {
          nodeLost(n, NodeEvent.TTL_EXPIRED, "no heartbeat for " + silent.toSeconds() + " s", now);
        }
        if (silent.compareTo(settings.offline()) > 0 && n.status() == NodeStatus.STALE) {
          changed(n, n.apply(NodeEvent.OFFLINE_EXPIRED, now), now);
          sink.nodeChanged(n);
        }
      }
    }
    while (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(now)) {
      TaskRecord t = delayed.poll();
      if (t.state() == TaskState.QUEUED) {
        t.notBefore(null);
        queue.add(t);
      }
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
    }
    schedule(now);
    return out;
  }

  /** The agent's "running" report: the attempt started. */
  public void started(String taskId, String leaseId, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a != null && a.leaseId().equals(leaseId)) {
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
      t.endAttempt("cancelled", c.error() == null ? "stopped by the node" : c.error(), c.exitCode(), now);
      if (n != null) {
        n.recordFault();
        requeueAfterInfraFailure(t, n, "stopped by the node", now);
        sink.nodeChanged(n);
      }
      schedule(now);
      return new Completed(true, false, t);
    }
    t.endAttempt(c.status(), c.error(), c.exitCode(), now);
    t.setResult(c.exitCode(), c.durationMs(), c.stdout(), c.stderr(), c.outputTruncated());
    boolean ok = c.status().equals("succeeded");
    if (n != null) {
      n.recordRan(ok, c.durationMs());
      sink.nodeChanged(n);
    }
    counters.durationSumMs += c.durationMs();
    counters.durationCount++;
    if (ok) {
      finish(t, TaskState.SUCCEEDED, null, now);
    } else {
      t.countTaskFailure();
      int max = t.spec().maxAttempts() > 0 ? t.spec().maxAttempts() : 1;
      String why = c.error() != null ? c.error()
          : c.status().equals("timed_out") ? "timed out" : "exit code " + c.exitCode();
      if (t.taskFailures() < max) {
        retryLater(t, why, now);
      } else {
        finish(t, c.status().equals("timed_out") ? TaskState.TIMED_OUT : TaskState.FAILED, why, now);
      }
    }
    schedule(now);
    return new Completed(true, false, t);
  }

  private void retryLater(TaskRecord t, String why, Instant now) {
    long base = settings.retryBase().toMillis();
    long delay = Math.min(settings.retryMax().toMillis(), base << Math.min(20, t.taskFailures() - 1));
    t.moveTo(TaskState.QUEUED, now, "retry after " + why);
    t.notBefore(now.plusMillis(delay));
    delayed.add(t);
    sink.taskChanged(t);
    sink.event("task.retrying", taskEvent(t).put("reason", why).put("delay_ms", delay));
  }

  /**
   * The watchdog found the task without progress past its limit. The ladder: first reassign it to another
   * node, then reassign it one priority higher, then fail it with reason {@code stagnation} (never faked as
   * success). The stuck process is stopped each time; none of this charges the task's retry budget.
   */
  public void stagnant(String taskId, Duration silentFor, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null) {
      return;
    }
    int step = t.countStagnation();
    String why = "no progress for " + silentFor.toSeconds() + " s";
    t.endAttempt("stagnant", why, null, now);
    NodeRecord n = nodes.get(a.nodeId());
    if (n != null) {
      n.running().remove(taskId);
      sink.cancel(n, taskId, a.leaseId());
      sink.nodeChanged(n);
    }
    JsonObject ev = taskEvent(t).put("reason", why).put("step", step).put("from_node", a.nodeId());
    if (step >= 3) {
      t.note(now, "watchdog", "failed: " + why + " (third time)", null);
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
    queue.add(t);
    sink.taskChanged(t);
    schedule(now);
  }

  /** Tasks on nodes whose last progress is older than their priority's limit, with how long they were silent. */
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

  /** The dispatch was refused or never arrived; the task goes to the next-ranked node. */
  public void dispatchFailed(String taskId, String leaseId, String why, boolean nodeFault, Instant now) {
    TaskRecord t = tasks.get(taskId);
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.leaseId().equals(leaseId)) {
      return;
    }
    t.endAttempt("refused", why, null, now);
    NodeRecord n = nodes.get(a.nodeId());
    counters.failovers++;
    if (n == null) {
      t.moveTo(TaskState.QUEUED, now, why);
      queue.add(t);
      sink.taskChanged(t);
    } else {
      n.running().remove(taskId);
      if (nodeFault) {
        n.recordFault();
        checkQuarantine(n, now);
        sink.nodeChanged(n);
      }
      requeueAfterInfraFailure(t, n, why, now);
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
    sink.event("task." + end.wire(), taskEvent(t));
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
          queue.add(dep);
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
    int free = queue.size() == 0 ? 0 : nodes.freeSlots();
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
    Dispatch d = new Dispatch(t.id(), lease, t.attempts().size(), t.spec().type(), t.priority().name(),
        t.spec().command(), t.spec().argv(), t.spec().env(), t.spec().cwd(), timeout, type.noop(),
        req.speed().name());
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
