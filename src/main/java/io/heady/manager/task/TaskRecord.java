package io.heady.manager.task;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A task as the manager keeps it: its spec, its state, its attempts. Owned by the scheduler alone (one
 * thread), so it is mutable; every state change goes through {@link #moveTo}, which enforces the table. Its
 * fields are package-private for its stored form ({@link TaskDocument}) alone; everything else goes through
 * the methods.
 */
public final class TaskRecord {
  final String id;
  final TaskSpec spec;
  final Instant createdAt;
  final long seq;
  final String dagId;
  Priority priority;
  TaskState state;
  Instant updatedAt;
  Instant queuedAt;
  Instant startedAt;
  Instant finishedAt;
  Instant notBefore;
  final List<Attempt> attempts = new ArrayList<>();
  int taskFailures;
  int infraRequeues;
  Integer exitCode;
  long durationMs;
  String stdout;
  String stderr;
  boolean outputTruncated;
  String reason;
  String nodeName;
  String nodeTier;
  JsonArray explain;
  final JsonArray history = new JsonArray();
  boolean critical;
  final ProgressMeter meter = new ProgressMeter();
  Instant stagnantSince;
  int stagnations;
  String unplaceable;
  Limits limits = Limits.NONE;

  public TaskRecord(String id, TaskSpec spec, long seq, String dagId, Instant now) {
    this.id = id;
    this.spec = spec;
    this.seq = seq;
    this.dagId = dagId;
    this.createdAt = now;
    this.updatedAt = now;
    this.priority = spec.priority();
  }

  /** Places the new task in its first state (waiting for dependencies, or queued). */
  public void start(TaskState initial, Instant now) {
    if (state != null || !TaskStateMachine.INITIAL.contains(initial)) {
      throw new IllegalStateException("task " + id + ": cannot start in " + initial);
    }
    state = initial;
    if (initial == TaskState.QUEUED) {
      queuedAt = now;
    }
    note(now, "submitted", initial.wire(), null);
  }

  /** The one way a task changes state. */
  public void moveTo(TaskState to, Instant now, String why) {
    TaskStateMachine.check(state, to);
    TaskState from = state;
    state = to;
    updatedAt = now;
    if (to == TaskState.QUEUED) {
      queuedAt = now;
    }
    if (to == TaskState.RUNNING && startedAt == null) {
      startedAt = now;
    }
    if (to.terminal()) {
      finishedAt = now;
      if (why != null) {
        reason = why;
      }
    }
    note(now, from.wire() + "->" + to.wire(), why, null);
  }

  /** Adds an entry to the task's history (state changes, placements, watchdog interventions). */
  public void note(Instant now, String what, String detail, JsonObject extra) {
    JsonObject h = new JsonObject().put("at", now.toString()).put("event", what);
    if (detail != null) {
      h.put("detail", detail);
    }
    if (extra != null) {
      h.mergeIn(extra);
    }
    // why: bounded, so a task retried forever cannot grow without limit
    if (history.size() >= 200) {
      history.remove(0);
    }
    history.add(h);
  }

  public Attempt newAttempt(String leaseId, String nodeId, Instant now) {
    // why: the node measures each attempt from zero; the new one's progress is compared with its own
    meter.reset();
    stagnantSince = null;
    unplaceable = null;
    Attempt a = new Attempt(attempts.size() + 1, leaseId, nodeId, now);
    attempts.add(a);
    return a;
  }

  /** The live attempt, if the task is on a node. */
  public Attempt currentAttempt() {
    if (attempts.isEmpty()) {
      return null;
    }
    Attempt last = attempts.get(attempts.size() - 1);
    return last.live() ? last : null;
  }

  public Attempt attemptByLease(String leaseId) {
    for (int i = attempts.size() - 1; i >= 0; i--) {
      if (attempts.get(i).leaseId.equals(leaseId)) {
        return attempts.get(i);
      }
    }
    return null;
  }

  /** Ends the live attempt with an outcome; returns it. */
  public Attempt endAttempt(String outcome, String why, Integer exit, Instant now) {
    Attempt a = currentAttempt();
    if (a == null) {
      throw new IllegalStateException("task " + id + " has no live attempt");
    }
    a.outcome = outcome;
    a.reason = why;
    a.exitCode = exit;
    a.endedAt = now;
    return a;
  }

  /** The node took the dispatch of lease {@code leaseId}; whether that is news (the live attempt's lease). */
  public boolean markAttemptDelivered(String leaseId, Instant now) {
    Attempt a = currentAttempt();
    if (a == null || !a.leaseId.equals(leaseId) || a.deliveredAt != null) {
      return false;
    }
    a.deliveredAt = now;
    return true;
  }

  public void markAttemptStarted(Instant now) {
    Attempt a = currentAttempt();
    if (a != null && a.startedAt == null) {
      a.startedAt = now;
    }
  }

  public void recordLateResult(Attempt a, JsonObject result, Instant now) {
    a.lateResult = result;
    note(now, "late_result", "lease " + a.leaseId + " was " + a.outcome + "; result kept, not counted", null);
  }

  public void setResult(Integer exit, long duration, String out, String err, boolean truncated) {
    this.exitCode = exit;
    this.durationMs = duration;
    this.stdout = out;
    this.stderr = err;
    this.outputTruncated = truncated;
  }

  /**
   * The attempt's end: every byte it printed, as its node counted them. Heartbeats only sample the count, so a
   * task that ends before one (or prints after the last) would otherwise keep a smaller number.
   */
  public void printed(long bytes) {
    meter.outputBytes = Math.max(meter.outputBytes, bytes);
  }

  public void placedOn(String name, String tier) {
    this.nodeName = name;
    this.nodeTier = tier;
  }

  /** The run time the node measured, once the task finished with a result; else {@code null}. */
  public Long durationMs() {
    return state.terminal() && exitCode != null ? durationMs : null;
  }

  public String id() {
    return id;
  }

  public TaskSpec spec() {
    return spec;
  }

  public TaskState state() {
    return state;
  }

  public Priority priority() {
    return priority;
  }

  public void escalate() {
    this.priority = priority.escalated();
  }

  public long seq() {
    return seq;
  }

  public String dagId() {
    return dagId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant queuedAt() {
    return queuedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public void notBefore(Instant t) {
    this.notBefore = t;
  }

  public List<Attempt> attempts() {
    return attempts;
  }

  public int taskFailures() {
    return taskFailures;
  }

  public void countTaskFailure() {
    taskFailures++;
  }

  public int infraRequeues() {
    return infraRequeues;
  }

  public void countInfraRequeue() {
    infraRequeues++;
  }

  public String reason() {
    return reason;
  }

  public void reason(String r) {
    this.reason = r;
  }

  public void explain(JsonArray e) {
    this.explain = e;
  }

  /** Why the latest placement chose its node (or none), as the placer explained it. */
  public JsonArray explain() {
    return explain;
  }

  /** The name of the node of the latest attempt, as it was when placed. */
  public String nodeName() {
    return nodeName;
  }

  public String nodeTier() {
    return nodeTier;
  }

  /** What each attempt may use: the task's limits over its type's, as of its latest dispatch (or submission). */
  public Limits limits() {
    return limits;
  }

  public void limits(Limits l) {
    this.limits = l == null ? Limits.NONE : l;
  }

  /** Something showed the task is alive: dispatched, started, or more output than before. */
  public void progressed(Instant now) {
    meter.lastProgressAt = now;
  }

  /**
   * What the node measured of the running attempt; returns whether anything grew (output, CPU time, bytes
   * read or written, explicit reports), which is progress.
   */
  public boolean progress(io.heady.common.protocol.TaskProgress p, Instant now) {
    return meter.measure(p, now);
  }

  /** When the watchdog found the task silent and warned about it; {@code null} while it moves. */
  public Instant stagnantSince() {
    return stagnantSince;
  }

  public void stagnantSince(Instant t) {
    this.stagnantSince = t;
  }

  public long outputBytes() {
    return meter.outputBytes;
  }

  /**
   * Why no node of the cluster could ever take this task as it stands (unknown pin, requirements beyond
   * every node's hardware); {@code null} when some node could.
   */
  public String unplaceable() {
    return unplaceable;
  }

  public void unplaceable(String why) {
    this.unplaceable = why;
  }

  /** The last attempt that went to a node, or {@code null}. */
  public Attempt lastAttemptOn(String nodeId) {
    for (int i = attempts.size() - 1; i >= 0; i--) {
      if (attempts.get(i).nodeId.equals(nodeId)) {
        return attempts.get(i);
      }
    }
    return null;
  }

  public Instant lastProgressAt() {
    return meter.lastProgressAt;
  }

  public int stagnations() {
    return stagnations;
  }

  public int countStagnation() {
    return ++stagnations;
  }

  public boolean critical() {
    return critical;
  }

  public void critical(boolean c) {
    this.critical = c;
  }

  /** The node of the live or last attempt. */
  public String nodeId() {
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).nodeId;
  }

  /** The record as the store keeps it and the API shows it; see {@link TaskDocument}. */
  public JsonObject toJson() {
    return TaskDocument.toJson(this);
  }

  /** Rebuilds a record from {@link #toJson()} (store recovery). */
  public static TaskRecord fromJson(JsonObject j) {
    return TaskDocument.fromJson(j);
  }
}
