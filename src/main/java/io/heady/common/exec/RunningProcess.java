package io.heady.common.exec;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One task's process, from spawn to outcome. Made by {@link ProcessRunner#start}.
 *
 * <p>Life: spawn on a {@code threads} thread; two readers copy stdout and stderr into bounded tails (and the
 * log file); a timer enforces the timeout. When the process ends, for whatever reason, whatever is left of
 * its tree is killed (SIGTERM, the kill grace, SIGKILL), the readers get a bounded time to drain, and the
 * outcome completes. The first of "exited", "timed out", "cancelled" decides the status.
 *
 * <p>Readers never hold the outcome back for long: a process that escaped the task's group and still holds
 * the output pipe delays it by {@link #DRAIN_MS} at most; its reader thread may then stay blocked (output
 * discarded) until that process closes the pipe or dies.
 */
public final class RunningProcess {
  /** How long readers may still drain after the whole tree is dead. */
  static final long DRAIN_MS = 2000;
  /** How long to wait for the tree to disappear after SIGKILL before giving up on it. */
  private static final long AFTER_KILL_MS = 2000;

  private enum End { EXITED, TIMED_OUT, CANCELLED }

  private final ProcessSpec spec;
  private final Executor threads;
  private final ScheduledExecutorService timers;
  private final Tools tools;
  private final CompletableFuture<ProcessOutcome> outcome = new CompletableFuture<>();
  private final OutputTail stdout;
  private final OutputTail stderr;
  private final AtomicLong outputBytes = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Instant lastOutputAt;
  private volatile long pid = -1;
  private volatile long startNanos = System.nanoTime();
  private volatile CappedLog log;
  private volatile boolean progressFileMade;
  private volatile CompletableFuture<Void> readersDone = CompletableFuture.completedFuture(null);

  private final Object lock = new Object();
  // guarded by lock
  private boolean launching;
  private Process process;
  private End end;
  private ScheduledFuture<?> timeout;

  // why: a timeout or cancel kill and the kill of leftovers after exit may overlap; one at a time
  private final Object killLock = new Object();

  RunningProcess(ProcessSpec spec, Executor threads, ScheduledExecutorService timers, Tools tools) {
    this.spec = spec;
    this.threads = threads;
    this.timers = timers;
    this.tools = tools;
    this.stdout = new OutputTail(spec.tailBytes());
    this.stderr = new OutputTail(spec.tailBytes());
  }

  /**
   * Completes once with how the process ended; never exceptionally. Each call returns a new dependent
   * future, so completing or cancelling it does not touch the process: use {@link #cancel()} for that.
   */
  public CompletableFuture<ProcessOutcome> outcome() {
    return outcome.copy();
  }

  /**
   * Ends the task: outcome {@code cancelled}, the whole tree killed (SIGTERM, the kill grace, SIGKILL). Does
   * not block. No effect once the process has exited, timed out or was already cancelled.
   */
  public void cancel() {
    boolean completeNow = false;
    boolean kill = false;
    synchronized (lock) {
      if (end != null || finished.get()) {
        return;
      }
      end = End.CANCELLED;
      if (!launching) {
        completeNow = true;
      } else if (process != null) {
        kill = true;
      }
      // else: the spawn is in progress; launch() sees the cancel right after it and kills
    }
    if (completeNow) {
      finish(-1);
    } else if (kill) {
      async(this::killTree);
    }
  }

  /** The process id (on Linux also its process-group id); -1 until started. */
  public long pid() {
    return pid;
  }

  /** Bytes of stdout and stderr so far, kept or not (the watchdog's measure of progress). */
  public long outputBytes() {
    return outputBytes.get();
  }

  /** When the process last wrote output; {@code null} until it first does. */
  public Instant lastOutputAt() {
    return lastOutputAt;
  }

  // ---- life cycle (package-private: driven by ProcessRunner) ----

  void launch(Supplier<LaunchPlan> planner) {
    synchronized (lock) {
      if (end != null || finished.get()) {
        return; // cancelled before it was spawned; cancel() completed the outcome
      }
      launching = true;
    }
    startNanos = System.nanoTime();
    LaunchPlan plan;
    try {
      plan = planner.get();
    } catch (RuntimeException e) {
      failToStart("cannot run: " + e);
      return;
    }
    if (plan.error() != null) {
      failToStart(plan.error());
      return;
    }
    boolean cancelled;
    synchronized (lock) {
      cancelled = end == End.CANCELLED;
    }
    if (cancelled) {
      finish(-1); // why: cancelled while preparing; do not spawn at all
      return;
    }
    if (spec.logFile() != null) {
      try {
        log = CappedLog.open(spec.logFile(), spec.logMaxBytes());
      } catch (IOException | RuntimeException e) {
        failToStart("cannot open log file " + spec.logFile() + ": " + e);
        return;
      }
    }
    if (spec.progressFile() != null) {
      try {
        ProgressFile.create(spec.progressFile());
        progressFileMade = true;
      } catch (IOException | RuntimeException e) {
        failToStart("cannot create progress file " + spec.progressFile() + ": " + e);
        return;
      }
    }
    Process p;
    try {
      p = plan.builder().start();
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      failToStart("cannot run program \"" + plan.program() + "\": " + why);
      return;
    }
    boolean killNow;
    synchronized (lock) {
      process = p;
      pid = p.pid();
      killNow = end != null;
    }
    CompletableFuture<Void> out = pump(p.getInputStream(), stdout);
    CompletableFuture<Void> err = pump(p.getErrorStream(), stderr);
    readersDone = CompletableFuture.allOf(out, err);
    if (spec.timeoutMs() > 0) {
      synchronized (lock) {
        if (end == null) {
          try {
            timeout = timers.schedule(this::onTimeout, spec.timeoutMs(), TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException e) {
            // why: the timers are shut down, so the node is stopping; it cancels its tasks itself
          }
        }
      }
    }
    // why: the JDK's reaper thread completes onExit; hop to our threads because reaping blocks (kill, drain)
    p.onExit().whenComplete((ignored, error) -> async(this::reap));
    if (killNow) {
      async(this::killTree);
    }
  }

  /** Ends the task as {@code failed} with exit code -1 and {@code error}: it never ran. */
  void failToStart(String error) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    CappedLog l = log;
    if (l != null) {
      l.close();
    }
    dropProgressFile();
    outcome.complete(new ProcessOutcome(ProcessOutcome.FAILED, -1, elapsedMs(), "", "", false, error));
  }

  private void onTimeout() {
    synchronized (lock) {
      if (end != null) {
        return;
      }
      end = End.TIMED_OUT;
    }
    async(this::killTree);
  }

  /** The leader exited (on its own or killed): kill what is left of the group, drain, finish. */
  private void reap() {
    Process p;
    synchronized (lock) {
      p = process;
      if (end == null) {
        end = End.EXITED;
      }
    }
    int code = p.exitValue();
    // why: a task owns its process group, so what the leader left running dies with it. Note the JDK
    // itself may close our end of the pipes once the leader is gone (keeping what was already written),
    // so output that leftovers write after this point can be lost; they are being killed anyway
    killTree();
    try {
      readersDone.get(DRAIN_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // why: something outside the group still holds the pipe; the outcome must not wait for it
    } catch (ExecutionException e) {
      // readers never complete exceptionally
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    finish(code);
  }

  private void finish(int exitValue) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    End e;
    synchronized (lock) {
      e = end;
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
    CappedLog l = log;
    if (l != null) {
      l.close();
    }
    dropProgressFile();
    String status;
    int exit;
    if (e == End.CANCELLED) {
      status = ProcessOutcome.CANCELLED;
      exit = -1;
    } else if (e == End.TIMED_OUT) {
      status = ProcessOutcome.TIMED_OUT;
      exit = -1;
    } else {
      status = exitValue == 0 ? ProcessOutcome.SUCCEEDED : ProcessOutcome.FAILED;
      exit = exitValue;
    }
    outcome.complete(new ProcessOutcome(status, exit, elapsedMs(), stdout.text(), stderr.text(),
        stdout.truncated() || stderr.truncated(), null));
  }

  /** The attempt has ended: its progress file goes (only if this attempt made it, so never on a caller's thread). */
  private void dropProgressFile() {
    if (progressFileMade) {
      ProgressFile.remove(spec.progressFile());
    }
  }

  private long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  // ---- output ----

  private CompletableFuture<Void> pump(InputStream in, OutputTail tail) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    async(new StreamPump(in, (buf, n) -> record(tail, buf, n), done));
    return done;
  }

  private void record(OutputTail tail, byte[] buf, int n) {
    if (finished.get()) {
      return; // why: after the outcome, a straggler's output is read only to keep the pipe flowing
    }
    tail.append(buf, 0, n);
    CappedLog l = log;
    if (l != null) {
      l.write(buf, 0, n);
    }
    outputBytes.addAndGet(n);
    lastOutputAt = Instant.now();
  }

  // ---- killing ----

  /**
   * Kills whatever is left of the task's tree and waits (bounded) until it is gone: SIGTERM to the group and
   * to every descendant seen, up to the kill grace, then SIGKILL the same way. Blocks; runs on
   * {@code threads}. Cheap when nothing is left.
   */
  private void killTree() {
    Process p;
    synchronized (lock) {
      p = process;
    }
    if (p == null) {
      return;
    }
    synchronized (killLock) {
      boolean group = tools.groups();
      long pgid = p.pid();
      Set<ProcessHandle> seen = members(p, group, pgid);
      if (!p.isAlive() && seen.isEmpty()) {
        return;
      }
      if (group) {
        ProcessTree.signalGroup(tools.kill(), "TERM", pgid);
      }
      // why: belt and braces: descendants that left the group, and the only way where setsid is missing;
      // descendants first, then the process, so a dying shell cannot orphan children before they are hit
      seen.forEach(ProcessHandle::destroy);
      p.destroy();
      if (waitGone(p, group, pgid, seen, spec.killGrace().toMillis())) {
        return;
      }
      seen.addAll(members(p, group, pgid));
      if (group) {
        ProcessTree.signalGroup(tools.kill(), "KILL", pgid);
      }
      seen.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      waitGone(p, group, pgid, seen, AFTER_KILL_MS);
    }
  }

  /** Live descendants of the process, plus live members of its group when it has one. */
  private static Set<ProcessHandle> members(Process p, boolean group, long pgid) {
    Set<ProcessHandle> s = new HashSet<>();
    p.descendants().filter(ProcessTree::alive).forEach(s::add);
    if (group) {
      for (long m : ProcessTree.groupMembers(pgid)) {
        if (m != pgid) {
          ProcessHandle.of(m).ifPresent(s::add);
        }
      }
    }
    return s;
  }

  private static boolean waitGone(Process p, boolean group, long pgid, Set<ProcessHandle> seen, long ms) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    long pause = 5;
    while (true) {
      boolean gone = !p.isAlive()
          && seen.stream().noneMatch(ProcessTree::alive)
          && (!group || ProcessTree.groupMembers(pgid).isEmpty());
      if (gone) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        // why: no event tells us a non-child died; a short, growing pause bounded by the grace
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      pause = Math.min(50, pause * 2);
    }
  }

  /** Runs on {@code threads}; if it refuses (shut down), on a fresh daemon thread, so no task is stranded. */
  private void async(Runnable r) {
    try {
      threads.execute(r);
    } catch (RejectedExecutionException e) {
      Thread t = new Thread(r, "heady-exec-" + spec.taskId());
      t.setDaemon(true);
      t.start();
    }
  }
}
