package io.heady.common.exec;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's task slots: admits dispatches up to its limit (refusing the rest, so it is never oversubscribed
 * whatever the manager believes), runs each (or completes a noop at once), cancels on request and reports
 * results. Used by the agent and by the manager's local executor alike. Thread-safe.
 */
public final class TaskSlots {
  /** Receives what happens to admitted tasks; called from runner threads. */
  public interface Reporter {
    void started(Dispatch d);

    void finished(Completion c);
  }

  /** What became of a dispatch. */
  public enum Admission { ACCEPTED, FULL, DUPLICATE, CLOSED }

  /** Settings for every task of this node. */
  public record Settings(int tailBytes, long logMaxBytes, Duration killGrace, Path logDir) {}

  private record Slot(Dispatch dispatch, RunningProcess process, Instant startedAt) {}

  private final String nodeId;
  private final ProcessRunner runner;
  private final Settings settings;
  private final Reporter reporter;
  private final Map<String, Slot> running = new LinkedHashMap<>();
  private final java.time.Clock clock;
  private int limit;
  private boolean closed;

  public TaskSlots(String nodeId, int limit, ProcessRunner runner, Settings settings, Reporter reporter,
      java.time.Clock clock) {
    this.clock = clock;
    this.nodeId = nodeId;
    this.limit = limit;
    this.runner = runner;
    this.settings = settings;
    this.reporter = reporter;
  }

  public Admission accept(Dispatch d) {
    return accept(d, reporter);
  }

  /**
   * Admits a task that is not the manager's (the node API's synchronous execute): the same slots and
   * limits, but what happens to it goes to {@code own}, not to this node's reporter.
   */
  public Admission accept(Dispatch d, Reporter own) {
    Reporter reporter = own;
    RunningProcess p;
    synchronized (this) {
      Slot existing = running.get(d.taskId());
      if (existing != null) {
        return existing.dispatch().leaseId().equals(d.leaseId()) ? Admission.DUPLICATE : Admission.FULL;
      }
      if (closed) {
        return Admission.CLOSED;
      }
      if (running.size() >= limit) {
        return Admission.FULL;
      }
      if (d.noop()) {
        running.put(d.taskId(), new Slot(d, null, clock.instant()));
      } else {
        p = runner.start(spec(d));
        running.put(d.taskId(), new Slot(d, p, clock.instant()));
        p.outcome().whenComplete((o, err) -> done(d, o, err, reporter));
        reporter.started(d);
        return Admission.ACCEPTED;
      }
    }
    // A noop runs no process: it is done as soon as it is admitted.
    reporter.started(d);
    synchronized (this) {
      running.remove(d.taskId());
    }
    reporter.finished(new Completion(d.taskId(), nodeId, d.leaseId(), "succeeded", 0, 0, "", "", false, null));
    return Admission.ACCEPTED;
  }

  /** An admission as the status the dispatch endpoints answer: 202, 409 duplicate, 429 full, 503 closing. */
  public static int status(Admission a) {
    return switch (a) {
      case ACCEPTED -> 202;
      case DUPLICATE -> 409;
      case FULL -> 429;
      case CLOSED -> 503;
    };
  }

  /**
   * Admits a batch of dispatches, {@code {dispatches: [...]}}, in order; answers
   * {@code {results: [{task_id, status}]}} with each one's status (400 for one that does not parse).
   */
  public JsonObject admitBatch(JsonObject body) {
    Object v = body.getValue("dispatches");
    JsonArray in = v instanceof JsonArray a ? a : new JsonArray();
    JsonArray out = new JsonArray(new ArrayList<>(in.size()));
    for (int i = 0; i < in.size(); i++) {
      Object item = in.getValue(i);
      String taskId = item instanceof JsonObject o && o.getValue("task_id") instanceof String t ? t : null;
      int status;
      try {
        status = item instanceof JsonObject o ? status(accept(Dispatch.fromJson(o))) : 400;
      } catch (RuntimeException e) {
        status = 400;
      }
      out.add(new JsonObject().put("task_id", taskId).put("status", status));
    }
    return new JsonObject().put("results", out);
  }

  private ProcessSpec spec(Dispatch d) {
    Path log = settings.logDir() == null ? null : settings.logDir().resolve(d.taskId() + ".log");
    return new ProcessSpec(d.taskId(), d.command(), d.argv(), d.env(), d.cwd(), d.timeoutMs(), settings.killGrace(),
        settings.tailBytes(), settings.logMaxBytes(), log, d.speed());
  }

  private void done(Dispatch d, ProcessOutcome o, Throwable err, Reporter reporter) {
    synchronized (this) {
      running.remove(d.taskId());
    }
    Completion c = err != null
        ? new Completion(d.taskId(), nodeId, d.leaseId(), "failed", -1, 0, "", "", false,
            "the node could not run the task: " + err.getMessage())
        : new Completion(d.taskId(), nodeId, d.leaseId(), o.status(), o.exitCode(), o.durationMs(), o.stdout(),
            o.stderr(), o.truncated(), o.error());
    reporter.finished(c);
  }

  /** Stops a running task (its whole process tree); false when the node does not run it under that lease. */
  public boolean cancel(String taskId, String leaseId) {
    Slot s;
    synchronized (this) {
      s = running.get(taskId);
      if (s == null || (leaseId != null && !s.dispatch().leaseId().equals(leaseId)) || s.process() == null) {
        return false;
      }
    }
    s.process().cancel();
    return true;
  }

  /** Stops taking new work (graceful shutdown); running tasks go on. */
  public synchronized void close() {
    closed = true;
  }

  /** Cancels every running task (shutdown past its grace). */
  public void cancelAll() {
    List<Slot> all;
    synchronized (this) {
      all = new ArrayList<>(running.values());
    }
    all.forEach(s -> {
      if (s.process() != null) {
        s.process().cancel();
      }
    });
  }

  public synchronized List<String> runningIds() {
    return new ArrayList<>(running.keySet());
  }

  public synchronized int running() {
    return running.size();
  }

  public synchronized int limit() {
    return limit;
  }

  public synchronized void limit(int l) {
    this.limit = l;
  }

  /** {@code GET /api/node/tasks}: what runs here now. */
  public synchronized JsonArray snapshot() {
    JsonArray out = new JsonArray();
    running.values().forEach(s -> out.add(new JsonObject()
        .put("task_id", s.dispatch().taskId())
        .put("lease_id", s.dispatch().leaseId())
        .put("type", s.dispatch().type())
        .put("pid", s.process() == null ? null : s.process().pid())
        .put("started_at", s.startedAt().toString())
        .put("output_bytes", s.process() == null ? 0 : s.process().outputBytes())));
    return out;
  }

  /** Output bytes so far of each running task: the progress the watchdog looks for. */
  public synchronized Map<String, io.heady.common.protocol.TaskProgress> progress() {
    Map<String, io.heady.common.protocol.TaskProgress> out = new LinkedHashMap<>();
    running.forEach((id, s) -> out.put(id, io.heady.common.protocol.TaskProgress.output(
        s.process() == null ? 0L : s.process().outputBytes())));
    return out;
  }

  /** Bytes of output and time of the last output of a running task, for progress reports. */
  public synchronized RunningProcess process(String taskId) {
    Slot s = running.get(taskId);
    return s == null ? null : s.process();
  }
}
