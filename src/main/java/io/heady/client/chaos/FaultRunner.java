package io.heady.client.chaos;

import io.heady.client.bench.AdminHttp;
import io.heady.client.bench.LocalCluster;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out a {@link FaultPlan} on a {@link LocalCluster}: each step at its time after the stream began, then
 * its undoing (restart or SIGCONT) at its end. A step's undoing is scheduled only once the step itself is done, so
 * the two never cross; steps on different processes run side by side. Every action is logged with its time.
 */
public final class FaultRunner implements AutoCloseable {
  /**
   * One thing done.
   *
   * @param atSec seconds after the stream began
   * @param at the wall-clock time
   */
  public record Entry(double atSec, Instant at, String what) {}

  private final LocalCluster cluster;
  private final AdminHttp admin;
  private final List<FaultStep> steps;
  private final Consumer<String> note;
  private final Clock clock;
  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(4, TaskStream.daemon("chaos-fault"));
  private final List<Entry> log = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final CountDownLatch done;
  private long t0;

  public FaultRunner(LocalCluster cluster, AdminHttp admin, List<FaultStep> steps, Consumer<String> note, Clock clock) {
    this.cluster = cluster;
    this.admin = admin;
    this.steps = List.copyOf(steps);
    this.note = note;
    this.clock = clock;
    this.done = new CountDownLatch(steps.size());
  }

  /** Schedules every step relative to {@code t0Nanos} ({@link System#nanoTime()} when the stream began). */
  public void start(long t0Nanos) {
    this.t0 = t0Nanos;
    for (FaultStep s : steps) {
      pool.schedule(() -> inject(s), delay(s.atSec()), TimeUnit.NANOSECONDS);
    }
  }

  private long delay(double atSec) {
    return Math.max(0, t0 + (long) (atSec * 1e9) - System.nanoTime());
  }

  private void inject(FaultStep s) {
    try {
      switch (s.kind()) {
        case AGENT_KILL -> {
          String running = running(s.target());
          long pid = cluster.killAgent(s.target());
          log("SIGKILL agent " + s.target() + " (pid " + pid + running + ")");
        }
        case AGENT_PAUSE -> {
          String running = running(s.target());
          long pid = cluster.pauseAgent(s.target());
          log("SIGSTOP agent " + s.target() + " (pid " + pid + running + ")");
        }
        case REDIS_KILL -> log("SIGKILL redis-server (pid " + cluster.killRedis() + ")");
        case MANAGER_KILL -> log("SIGKILL manager (pid " + cluster.killManager() + ")");
      }
      pool.schedule(() -> undo(s), delay(s.endSec()), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      fail(s, e);
      done.countDown();
    }
  }

  private void undo(FaultStep s) {
    try {
      switch (s.kind()) {
        case AGENT_KILL -> log("agent " + s.target() + " restarted, same node id and data dir (pid "
            + cluster.restartAgent(s.target()) + ")");
        case AGENT_PAUSE -> log("SIGCONT agent " + s.target() + " (pid " + cluster.resumeAgent(s.target()) + ")");
        case REDIS_KILL -> log("redis-server restarted on its port and AOF (pid " + cluster.restartRedis() + ")");
        case MANAGER_KILL -> {
          long began = System.nanoTime();
          log("manager restarting with the same ports, flags and data dir");
          long pid = cluster.restartManager();
          log(String.format(java.util.Locale.ROOT, "manager restarted (pid %d), ready after %.1f s", pid,
              (System.nanoTime() - began) / 1e9));
        }
      }
    } catch (Exception e) {
      fail(s, e);
    } finally {
      done.countDown();
    }
  }

  /** {@code , 2 tasks running}: what the node held as the fault hit it, as far as the manager knew. */
  private String running(String nodeId) {
    AdminHttp.Res r = admin.get("/api/cluster/nodes/" + nodeId);
    JsonObject n = r.ok() ? r.json() : null;
    Object v = n == null ? null : n.getValue("running");
    return v instanceof Number k ? ", " + k + " tasks running" : "";
  }

  private void fail(FaultStep s, Exception e) {
    String m = s.describe().trim() + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
        : ": " + e.getMessage());
    synchronized (this) {
      errors.add(m);
    }
    log("FAILED " + m);
  }

  private void log(String what) {
    Entry e = new Entry((System.nanoTime() - t0) / 1e9, clock.instant(), what);
    synchronized (this) {
      log.add(e);
    }
    note.accept(String.format(java.util.Locale.ROOT, "+%.1f s  %s", e.atSec(), what));
  }

  /** Waits until every step is done and undone; false when the limit passed first. */
  public boolean await(long limitMs) throws InterruptedException {
    return done.await(limitMs, TimeUnit.MILLISECONDS);
  }

  /** What was done so far, in time order. */
  public synchronized List<Entry> log() {
    List<Entry> l = new ArrayList<>(log);
    l.sort(Comparator.comparingDouble(Entry::atSec));
    return l;
  }

  /** Steps that could not be done or undone. */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
