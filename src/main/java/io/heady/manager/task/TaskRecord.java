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
 * thread), so it is mutable; every state change goes through {@link #moveTo}, which enforces the table.
 */
public final class TaskRecord {
  private final String id;
  private final TaskSpec spec;
  private final Instant createdAt;
  private final long seq;
  private final String dagId;
  private Priority priority;
  private TaskState state;
  private Instant updatedAt;
  private Instant queuedAt;
  private Instant startedAt;
  private Instant finishedAt;
  private Instant notBefore;
  private final List<Attempt> attempts = new ArrayList<>();
  private int taskFailures;
  private int infraRequeues;
  private Integer exitCode;
  private long durationMs;
  private String stdout;
  private String stderr;
  private boolean outputTruncated;
  private String reason;
  private String nodeName;
  private String nodeTier;
  private JsonArray explain;
  private final JsonArray history = new JsonArray();
  private boolean critical;
  private Instant lastProgressAt;
  private long outputBytes;
  private long cpuMs = -1;
  private long ioBytes = -1;
  private long progressReports;
  private String progressNote;
  private Instant stagnantSince;
  private int stagnations;
  private String unplaceable;
  private Limits limits = Limits.NONE;

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
    outputBytes = 0;
    cpuMs = -1;
    ioBytes = -1;
    progressReports = 0;
    progressNote = null;
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
    lastProgressAt = now;
  }

  /** Output reported by the node; returns whether it grew (progress). */
  public boolean output(long bytes, Instant now) {
    return progress(io.heady.common.protocol.TaskProgress.output(bytes), now);
  }

  /**
   * What the node measured of the running attempt; returns whether anything grew (output, CPU time, bytes
   * read or written, explicit reports), which is progress. Counters only move up: a node that cannot tell a
   * measure (-1) leaves it as it was.
   */
  public boolean progress(io.heady.common.protocol.TaskProgress p, Instant now) {
    boolean grew = false;
    if (p.outputBytes() > outputBytes) {
      outputBytes = p.outputBytes();
      grew = true;
    }
    if (p.cpuMs() > cpuMs) {
      // why: the first sample of a measure only sets its baseline; a task that used CPU before it could
      // be measured has not shown anything new yet
      grew |= cpuMs >= 0;
      cpuMs = p.cpuMs();
    }
    if (p.ioBytes() > ioBytes) {
      grew |= ioBytes >= 0;
      ioBytes = p.ioBytes();
    }
    if (p.reports() > progressReports) {
      progressReports = p.reports();
      progressNote = p.note();
      grew = true;
    }
    if (grew) {
      lastProgressAt = now;
    }
    return grew;
  }

  /** When the watchdog found the task silent and warned about it; {@code null} while it moves. */
  public Instant stagnantSince() {
    return stagnantSince;
  }

  public void stagnantSince(Instant t) {
    this.stagnantSince = t;
  }

  public long outputBytes() {
    return outputBytes;
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
    return lastProgressAt;
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

  public JsonObject toJson() {
    Attempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    JsonArray at = new JsonArray();
    attempts.forEach(a -> at.add(a.toJson()));
    return new JsonObject()
        .put("task_id", id)
        .put("dag_id", dagId)
        .put("type", spec.type())
        .put("priority", priority.name())
        .put("status", state.wire())
        .put("command", spec.command())
        .put("argv", spec.argv().isEmpty() ? null : new JsonArray(new ArrayList<>(spec.argv())))
        .put("node_id", last == null ? null : last.nodeId)
        .put("node_name", nodeName)
        .put("node_tier", nodeTier)
        .put("lease_id", last == null ? null : last.leaseId)
        .put("attempt", attempts.size())
        .put("exit_code", exitCode)
        .put("duration_ms", durationMs())
        .put("result", new JsonObject().put("stdout", stdout).put("stderr", stderr)
            .put("truncated", outputTruncated))
        .put("reason", reason)
        .put("limits", limits.toJson())
        // why: the latest attempt's accounting is the task's at a glance; every attempt keeps its own
        .put("usage", last == null || !last.usage().known() ? null : last.usage().toJson())
        .put("enforcement", last == null || last.enforcement() == null ? null : last.enforcement().toJson())
        .put("depends_on", new JsonArray(new ArrayList<>(spec.dependsOn())))
        .put("critical", critical)
        .put("created_at", createdAt.toString())
        .put("queued_at", queuedAt == null ? null : queuedAt.toString())
        .put("started_at", startedAt == null ? null : startedAt.toString())
        .put("finished_at", finishedAt == null ? null : finishedAt.toString())
        .put("updated_at", updatedAt.toString())
        .put("not_before", notBefore == null ? null : notBefore.toString())
        .put("task_failures", taskFailures)
        .put("infra_requeues", infraRequeues)
        .put("stagnations", stagnations)
        .put("output_bytes", outputBytes)
        .put("cpu_ms", cpuMs < 0 ? null : cpuMs)
        .put("io_bytes", ioBytes < 0 ? null : ioBytes)
        .put("progress_reports", progressReports)
        .put("progress_note", progressNote)
        .put("stagnant_since", stagnantSince == null ? null : stagnantSince.toString())
        .put("waiting_reason", unplaceable)
        .put("unplaceable", unplaceable != null)
        .put("last_progress_at", lastProgressAt == null ? null : lastProgressAt.toString())
        .put("attempts", at)
        .put("explain", explain)
        .put("history", history.copy())
        .put("spec", spec.toJson())
        .put("seq", seq);
  }

  /** Rebuilds a record from {@link #toJson()} (store recovery). */
  public static TaskRecord fromJson(JsonObject j) {
    TaskSpec spec = TaskSpec.fromJson(j.getJsonObject("spec"));
    TaskRecord t = new TaskRecord(j.getString("task_id"), spec, j.getLong("seq"), j.getString("dag_id"),
        Instant.parse(j.getString("created_at")));
    t.priority = Priority.parse(j.getString("priority"));
    t.state = TaskState.fromWire(j.getString("status"));
    t.updatedAt = Instant.parse(j.getString("updated_at"));
    t.queuedAt = Attempt.parse(j.getString("queued_at"));
    t.startedAt = Attempt.parse(j.getString("started_at"));
    t.finishedAt = Attempt.parse(j.getString("finished_at"));
    t.notBefore = Attempt.parse(j.getString("not_before"));
    t.taskFailures = j.getInteger("task_failures", 0);
    t.infraRequeues = j.getInteger("infra_requeues", 0);
    t.stagnations = j.getInteger("stagnations", 0);
    t.outputBytes = j.getLong("output_bytes", 0L);
    t.cpuMs = j.getValue("cpu_ms") instanceof Number n ? n.longValue() : -1;
    t.ioBytes = j.getValue("io_bytes") instanceof Number n ? n.longValue() : -1;
    t.progressReports = j.getLong("progress_reports", 0L);
    t.progressNote = j.getString("progress_note");
    t.stagnantSince = Attempt.parse(j.getString("stagnant_since"));
    t.unplaceable = j.getBoolean("unplaceable", false) ? j.getString("waiting_reason") : null;
    t.lastProgressAt = Attempt.parse(j.getString("last_progress_at"));
    t.exitCode = j.getInteger("exit_code");
    Long d = j.getLong("duration_ms");
    t.durationMs = d == null ? 0 : d;
    JsonObject r = j.getJsonObject("result", new JsonObject());
    t.stdout = r.getString("stdout");
    t.stderr = r.getString("stderr");
    t.outputTruncated = r.getBoolean("truncated", false);
    t.reason = j.getString("reason");
    t.limits = Limits.fromJson(j, "limits");
    t.nodeName = j.getString("node_name");
    t.nodeTier = j.getString("node_tier");
    t.explain = j.getJsonArray("explain");
    t.critical = j.getBoolean("critical", false);
    j.getJsonArray("attempts", new JsonArray()).forEach(o -> t.attempts.add(Attempt.fromJson((JsonObject) o)));
    j.getJsonArray("history", new JsonArray()).forEach(t.history::add);
    return t;
  }
}
