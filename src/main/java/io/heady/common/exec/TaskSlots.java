package io.heady.common.exec;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.TaskProgress;
import io.heady.common.protocol.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's task slots: admits dispatches up to its limit (refusing the rest, so it is never oversubscribed
 * whatever the manager believes), runs each (or completes a noop at once), cancels on request and reports
 * results. Used by the agent and by the manager's local executor alike. Thread-safe.
 *
 * <p>With a {@link #prefetch(int)} above zero, a full node still admits that many of the manager's dispatches
 * into a local queue and starts them in order as slots free: never more than the limit run at once, a queued one
 * is dropped when cancelled, and queued ones are listed with the running ones ({@link #queuedIds()}).
 *
 * <p>With a log directory, each attempt's output goes to {@code <taskId>.log} there, and the task gets
 * {@code <taskId>.progress} there as its progress file ({@link ProcessSpec#PROGRESS_FILE_ENV}).
 * {@link #progress()} measures every running task at once for the heartbeat.
 */
public final class TaskSlots {
  /** Receives what happens to admitted tasks; called from runner threads. */
  public interface Reporter {
    void started(Dispatch d);

    void finished(Completion c);
  }

  /** What became of a dispatch. */
  public enum Admission { ACCEPTED, FULL, DUPLICATE, CLOSED, DISK_FULL }

  /** Settings for every task of this node. */
  public record Settings(int tailBytes, long logMaxBytes, Duration killGrace, Path logDir) {
    /** From {@code --output-tail-kb}, {@code --log-max-kb} and {@code --kill-grace-sec}; logs kept in {@code logDir}. */
    public static Settings from(io.heady.common.config.Config cfg, Path logDir) {
      return new Settings(cfg.integer(io.heady.common.config.Keys.OUTPUT_TAIL_KB) * 1024,
          cfg.longValue(io.heady.common.config.Keys.LOG_MAX_KB) * 1024,
          Duration.ofSeconds(cfg.longValue(io.heady.common.config.Keys.KILL_GRACE_SEC)), logDir);
    }
  }

  private record Slot(Dispatch dispatch, RunningProcess process, Instant startedAt, AttemptMeter meter) {}

  /**
   * Dispatches admitted beyond the slots, in arrival order: they hold no slot and run no process until one
   * frees. Bounded by {@link #prefetch}.
   */
  private final Map<String, Dispatch> queued = new LinkedHashMap<>();
  private int prefetch;

  private final String nodeId;
  private final ProcessRunner runner;
  private final Settings settings;
  private final Reporter reporter;
  private final Map<String, Slot> running = new LinkedHashMap<>();
  private final java.time.Clock clock;
  private final ProcessSampler sampler;
  // why: sampling reads /proc and files; it holds this lock, not the slots' own, so admissions never wait on it
  private final Object sampleLock = new Object();
  private int limit;
  private boolean closed;
  private String diskFull;
  private volatile SecretOpener secrets = SecretOpener.NONE;

  public TaskSlots(String nodeId, int limit, ProcessRunner runner, Settings settings, Reporter reporter,
      java.time.Clock clock) {
    this(nodeId, limit, runner, settings, reporter, clock, null);
  }

  /** @param sampler what measures CPU and I/O; {@code null}: this machine's {@code /proc}, looked up on first use */
  TaskSlots(String nodeId, int limit, ProcessRunner runner, Settings settings, Reporter reporter,
      java.time.Clock clock, ProcessSampler sampler) {
    this.sampler = sampler;
    this.clock = clock;
    this.nodeId = nodeId;
    this.limit = limit;
    this.runner = runner;
    this.settings = settings;
    this.reporter = reporter;
  }

  /**
   * How this node opens the secrets sealed into its dispatches (the key it shares with the manager); without it,
   * a dispatch with secrets fails at once.
   */
  public TaskSlots secrets(SecretOpener opener) {
    this.secrets = opener == null ? SecretOpener.NONE : opener;
    return this;
  }

  public Admission accept(Dispatch d) {
    return accept(d, reporter);
  }

  /**
   * Admits a task that is not the manager's (the node API's synchronous execute): the same slots and
   * limits, but what happens to it goes to {@code own}, not to this node's reporter. Only the manager's
   * dispatches (those reported to this node's reporter) may wait in the prefetch queue.
   */
  public Admission accept(Dispatch d, Reporter own) {
    Begun begun;
    synchronized (this) {
      Slot existing = running.get(d.taskId());
      Dispatch waiting = existing != null ? existing.dispatch() : queued.get(d.taskId());
      if (waiting != null) {
        return waiting.leaseId().equals(d.leaseId()) ? Admission.DUPLICATE : Admission.FULL;
      }
      if (closed) {
        return Admission.CLOSED;
      }
      if (diskFull != null) {
        return Admission.DISK_FULL;
      }
      if (running.size() >= limit || !queued.isEmpty()) {
        // why: a full node may hold a few more of the manager's dispatches, started in order as slots free, so
        // one round trip carries several tasks while no more than the slots ever run at once
        if (own != reporter || queued.size() >= prefetch) {
          return Admission.FULL;
        }
        queued.put(d.taskId(), d);
        return Admission.ACCEPTED;
      }
      begun = begin(d, own);
    }
    begun.report();
    startQueued();
    return Admission.ACCEPTED;
  }

  /** What a dispatch that took a slot still has to report, outside the slots' lock. */
  private interface Begun {
    void report();
  }

  /**
   * Starts an admitted dispatch in a free slot (the caller holds the lock and checked the slot is free); the
   * reports it owes are made by the answer, after the lock is let go.
   */
  private Begun begin(Dispatch d, Reporter reporter) {
    Map<String, String> opened;
    try {
      opened = secrets.open(d);
    } catch (SecretOpener.Unopened unopened) {
      // why: delivered, so the attempt is this node's; it fails at once and says which secret (never its value)
      return () -> {
        reporter.started(d);
        reporter.finished(new Completion(d.taskId(), nodeId, d.leaseId(), "failed", -1, 0, "", "", false,
            unopened.getMessage() + " on node " + nodeId, Completion.SECRET_UNAVAILABLE, Usage.UNKNOWN, null));
      };
    }
    if (d.noop()) {
      // A noop runs no process: it is done as soon as it is admitted.
      running.put(d.taskId(), new Slot(d, null, clock.instant(), new AttemptMeter(null, null)));
      return () -> {
        reporter.started(d);
        synchronized (this) {
          running.remove(d.taskId());
        }
        reporter.finished(new Completion(d.taskId(), nodeId, d.leaseId(), "succeeded", 0, 0, "", "", false, null));
      };
    }
    ProcessSpec spec = spec(d, opened);
    RunningProcess p = runner.start(spec);
    AttemptMeter meter = new AttemptMeter(p, spec.progressFile());
    running.put(d.taskId(), new Slot(d, p, clock.instant(), meter));
    p.outcome().whenComplete((o, err) -> done(d, o, err, reporter, meter));
    // why: reported under the lock, as the process's end takes it too: its start is always told first
    reporter.started(d);
    return () -> { };
  }

  /** Starts queued dispatches, oldest first, while slots are free. */
  private void startQueued() {
    while (true) {
      Begun begun;
      synchronized (this) {
        if (queued.isEmpty() || running.size() >= limit) {
          return;
        }
        var first = queued.entrySet().iterator();
        Dispatch d = first.next().getValue();
        first.remove();
        begun = begin(d, reporter);
      }
      begun.report();
    }
  }

  /**
   * An admission as the status the dispatch endpoints answer: 202, 409 duplicate, 429 full, 503 closing, 507
   * disk full.
   */
  public static int status(Admission a) {
    return switch (a) {
      case ACCEPTED -> 202;
      case DUPLICATE -> 409;
      case FULL -> 429;
      case CLOSED -> 503;
      case DISK_FULL -> io.heady.common.protocol.Refusal.DISK_FULL_STATUS;
    };
  }

  /**
   * Takes no new task while the disk under the node's data is nearly full ({@code why}, for its log); {@code null}
   * takes work again. Running tasks go on.
   */
  public synchronized void diskFull(String why) {
    this.diskFull = why;
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

  private ProcessSpec spec(Dispatch d, Map<String, String> secretEnv) {
    Path dir = settings.logDir();
    Path log = dir == null ? null : dir.resolve(d.taskId() + ".log");
    Path progress = dir == null ? null : dir.resolve(d.taskId() + ".progress");
    return new ProcessSpec(d.taskId(), d.command(), d.argv(), d.env(), d.cwd(), d.timeoutMs(), settings.killGrace(),
        settings.tailBytes(), settings.logMaxBytes(), log, d.speed(), progress, d.limits(), d.runAs(), d.allowDaemon(),
        secretEnv);
  }

  private void done(Dispatch d, ProcessOutcome o, Throwable err, Reporter reporter, AttemptMeter meter) {
    synchronized (this) {
      running.remove(d.taskId());
    }
    Completion c = err != null
        ? new Completion(d.taskId(), nodeId, d.leaseId(), "failed", -1, 0, "", "", false,
            "the node could not run the task: " + err.getMessage())
        : new Completion(d.taskId(), nodeId, d.leaseId(), o.status(), o.exitCode(), o.durationMs(), o.stdout(),
            o.stderr(), o.truncated(), o.error(), o.reason(), usage(o, meter), o.enforcement(), o.outputBytes());
    reporter.finished(c);
    startQueued();
  }

  /** The control group's measure of the attempt; without one, what the {@code /proc} samples saw. */
  private static Usage usage(ProcessOutcome o, AttemptMeter meter) {
    Usage u = o.usage();
    return u.cpuUserSec() >= 0 || u.peakMemoryBytes() >= 0 ? u : meter.sampled();
  }

  /** What this node can do to contain tasks, for its record ({@code containment}). */
  public Enforcement containment() {
    return runner.containment().capability();
  }

  /** Stops a running task (its whole process tree); false when the node does not run it under that lease. */
  public boolean cancel(String taskId, String leaseId) {
    Slot s;
    synchronized (this) {
      Dispatch waiting = queued.get(taskId);
      if (waiting != null && (leaseId == null || waiting.leaseId().equals(leaseId))) {
        // why: it never started, so there is nothing to kill and nothing to report: the manager that cancels it
        // (or took it back) has already settled the attempt
        queued.remove(taskId);
        return true;
      }
      s = running.get(taskId);
      if (s == null || (leaseId != null && !s.dispatch().leaseId().equals(leaseId)) || s.process() == null) {
        return false;
      }
    }
    s.process().cancel();
    return true;
  }

  /**
   * Stops taking new work (graceful shutdown); running tasks go on, and queued ones still start as slots free
   * (they were accepted: see {@link #held()}).
   */
  public synchronized void close() {
    closed = true;
  }

  /** Cancels every running task (shutdown past its grace). */
  public void cancelAll() {
    List<Slot> all;
    synchronized (this) {
      // why: queued tasks never started; the manager requeues them when the node deregisters or is lost
      queued.clear();
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

  /** Dispatches queued beyond the slots, not started yet, oldest first. */
  public synchronized List<String> queuedIds() {
    return new ArrayList<>(queued.keySet());
  }

  public synchronized int queued() {
    return queued.size();
  }

  /** Tasks this node holds: running plus queued. */
  public synchronized int held() {
    return running.size() + queued.size();
  }

  /** The most dispatches this node queues beyond its slots. */
  public synchronized int prefetch() {
    return prefetch;
  }

  /** Sets {@link #prefetch()}; dispatches already queued stay (they were accepted). */
  public synchronized void prefetch(int p) {
    this.prefetch = Math.max(0, p);
  }

  public synchronized int limit() {
    return limit;
  }

  public void limit(int l) {
    synchronized (this) {
      this.limit = l;
    }
    startQueued();
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

  /**
   * The progress of each running task, the watchdog's evidence that it is alive: output bytes, CPU time and
   * bytes read and written by its process group (from one walk of {@code /proc} for all tasks; -1 where the
   * node cannot tell, as on macOS), and the reports it appended to its progress file. Every figure is a total
   * for the attempt and never goes down.
   *
   * <p>Blocking (it reads {@code /proc} and the progress files): call it on a worker thread, never on an
   * event loop. It does not hold up admissions meanwhile.
   */
  public Map<String, TaskProgress> progress() {
    Map<String, AttemptMeter> meters = new LinkedHashMap<>();
    synchronized (this) {
      running.forEach((id, s) -> meters.put(id, s.meter()));
    }
    synchronized (sampleLock) {
      Set<Long> groups = new HashSet<>();
      meters.values().forEach(m -> {
        if (m.pgid() > 0) {
          groups.add(m.pgid());
        }
      });
      Map<Long, ProcessSampler.Usage> usage = groups.isEmpty() ? Map.of()
          : (sampler != null ? sampler : ProcessSampler.system()).sample(groups);
      Map<String, TaskProgress> out = new LinkedHashMap<>();
      meters.forEach((id, m) -> out.put(id, m.measure(usage.get(m.pgid()))));
      return out;
    }
  }

  /** Bytes of output and time of the last output of a running task, for progress reports. */
  public synchronized RunningProcess process(String taskId) {
    Slot s = running.get(taskId);
    return s == null ? null : s.process();
  }
}
