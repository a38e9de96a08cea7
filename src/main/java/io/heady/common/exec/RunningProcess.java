package io.heady.common.exec;

import io.heady.common.exec.contain.AttemptBox;
import io.heady.common.exec.contain.GroupKill;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One task's process, from spawn to outcome. Made by {@link ProcessRunner#start}.
 *
 * <p>Life: the attempt's containment is opened (its control group, its user) and it is spawned inside it on a
 * {@code threads} thread; two readers copy stdout and stderr into bounded tails (and the log file); a timer
 * enforces the timeout, the readers the output limit. When the process ends, for whatever reason, whatever is
 * left of it is killed ({@link TreeKiller}: its whole control group where it has one; unless the spec allows a
 * daemon), the readers get a bounded time to drain, the group's usage and OOM kills are read, the group is
 * removed and the outcome completes. The first of "exited", "timed out", "cancelled", "output limit" decides
 * the status; an attempt that died after the kernel killed a process of it for memory failed
 * {@code out_of_memory}.
 *
 * <p>Readers never hold the outcome back for long: a process that escaped the task's group and still holds
 * the output pipe delays it by {@link #DRAIN_MS} at most; the readers are then abandoned (what that process
 * writes later is lost): a natively spawned task's readers end within {@link FdInputStream#POLL_MS}, the JDK
 * closes its own pipe ends when it reaps the leader.
 */
public final class RunningProcess {
  /** How long readers may still drain after the whole tree is dead. */
  static final long DRAIN_MS = 2000;

  private final ProcessSpec spec;
  private final Executor threads;
  private final ScheduledExecutorService timers;
  private final TreeKiller killer;
  private final long outputLimit;
  private final CompletableFuture<ProcessOutcome> outcome = new CompletableFuture<>();
  private final OutputTail stdout;
  private final OutputTail stderr;
  private final SecretMask mask;
  private final AtomicLong outputBytes = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Instant lastOutputAt;
  private volatile long pid = -1;
  private volatile long startNanos = System.nanoTime();
  private volatile CappedLog log;
  private volatile boolean progressFileMade;
  private volatile Path progressFile;
  private volatile AttemptBox box;
  private volatile Usage usage = Usage.UNKNOWN;
  private volatile boolean outOfMemory;
  private volatile CompletableFuture<Void> readersDone = CompletableFuture.completedFuture(null);

  private final Object lock = new Object();
  // guarded by lock
  private boolean launching;
  private TaskProcess process;
  private AttemptEnd end;
  private ScheduledFuture<?> timeout;

  private final Tools tools;
  private final NativeSpawner spawner;

  RunningProcess(ProcessSpec spec, Executor threads, ScheduledExecutorService timers, Tools tools,
      GroupKill groupKill, NativeSpawner spawner) {
    this.tools = tools;
    this.spawner = spawner;
    this.spec = spec;
    this.threads = threads;
    this.timers = timers;
    this.killer = new TreeKiller(tools, spec.killGrace(), groupKill, spawner);
    this.outputLimit = spec.limits().outputMb() << 20;
    this.progressFile = spec.progressFile();
    this.stdout = new OutputTail(spec.tailBytes());
    this.stderr = new OutputTail(spec.tailBytes());
    this.mask = SecretMask.of(spec.secrets().values());
  }

  /** What the task's secrets look like in its output, to be masked ({@link SecretMask#NONE} without secrets). */
  public SecretMask mask() {
    return mask;
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
      end = AttemptEnd.CANCELLED;
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

  /** The attempt's progress file where the task sees it (its user's private folder, if it has one); or {@code null}. */
  public Path progressFile() {
    return progressFile;
  }

  /** The attempt's containment once it is opened, else {@code null}. */
  public AttemptBox box() {
    return box;
  }

  // ---- life cycle (package-private: driven by ProcessRunner) ----

  void launch(Supplier<AttemptBox> opener, Function<AttemptBox, LaunchPlan> planner) {
    synchronized (lock) {
      if (end != null || finished.get()) {
        return; // cancelled before it was spawned; cancel() completed the outcome
      }
      launching = true;
    }
    startNanos = System.nanoTime();
    AttemptBox b;
    LaunchPlan plan;
    try {
      b = opener.get();
      if (b.error() != null) {
        failToStart(b.error());
        return;
      }
      box = b;
      if (b.privateDir() != null && spec.progressFile() != null) {
        // why: the node's log folder is out of the task user's reach; its progress file lives with it
        progressFile = b.privateDir().resolve("progress");
      }
      plan = planner.apply(b);
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
      cancelled = end == AttemptEnd.CANCELLED;
    }
    if (cancelled) {
      b.close();
      finish(-1); // why: cancelled while preparing; do not spawn at all
      return;
    }
    if (spec.logFile() != null) {
      try {
        log = CappedLog.open(spec.logFile(), spec.outputCapBytes());
      } catch (IOException | RuntimeException e) {
        failToStart("cannot open log file " + spec.logFile() + ": " + e);
        return;
      }
    }
    if (progressFile != null) {
      try {
        ProgressFile.create(progressFile, box.privateDir());
        progressFileMade = true;
      } catch (IOException | RuntimeException e) {
        failToStart("cannot create progress file " + progressFile + ": " + e);
        return;
      }
    }
    TaskProcess p;
    try {
      if (plan.request() != null) {
        NativeTaskProcess np = spawner.spawn(plan.request());
        np.watch(this::async);
        p = np;
      } else {
        p = new JdkTaskProcess(plan.builder().start(), tools.groups());
      }
    } catch (IOException | NativeSpawner.SpawnException | RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      failToStart("cannot run program \"" + plan.program() + "\": " + why);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failToStart("cannot run program \"" + plan.program() + "\": interrupted");
      return;
    }
    boolean killNow;
    synchronized (lock) {
      process = p;
      pid = p.pid();
      killNow = end != null;
    }
    CompletableFuture<Void> out = pump(p.stdout(), stdout);
    CompletableFuture<Void> err = pump(p.stderr(), stderr);
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
    // why: a reaper thread completes exit(); hop to our threads because reaping blocks (kill, drain)
    p.exit().whenComplete((ignored, error) -> async(this::reap));
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
    AttemptBox b = box;
    if (b != null) {
      b.close();
    }
    outcome.complete(new ProcessOutcome(ProcessOutcome.FAILED, -1, elapsedMs(), "", "", false, error, null,
        Usage.UNKNOWN, b == null ? null : b.enforcement()));
  }

  private void onTimeout() {
    synchronized (lock) {
      if (end != null) {
        return;
      }
      end = AttemptEnd.TIMED_OUT;
    }
    async(this::killTree);
  }

  /** The leader exited (on its own or killed): kill what is left of the group, drain, finish. */
  private void reap() {
    TaskProcess p;
    synchronized (lock) {
      p = process;
      if (end == null) {
        end = AttemptEnd.EXITED;
      }
    }
    int code = p.exit().getNow(-1);
    boolean daemonsMayStay;
    synchronized (lock) {
      daemonsMayStay = spec.allowDaemon() && end == AttemptEnd.EXITED;
    }
    // why: a task owns its process group (its control group), so what the leader left running dies with it
    // unless its type allows daemons. Note the JDK itself may close our end of the pipes once the leader is
    // gone (keeping what was already written), so output that leftovers write after this point can be lost
    if (!daemonsMayStay) {
      killTree();
    }
    try {
      readersDone.get(DRAIN_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // why: something outside the group still holds the pipe; the outcome must not wait for it, nor the readers
      p.abandonOutput();
    } catch (ExecutionException e) {
      // readers never complete exceptionally
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    AttemptBox b = box;
    if (b != null && b.group() != null) {
      usage = b.group().usage();
      outOfMemory = code != 0 && b.group().outOfMemory();
      b.close();
    }
    finish(code);
  }

  private void finish(int exitValue) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    AttemptEnd e;
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
    AttemptEnd.Verdict v = AttemptEnd.verdict(e, exitValue, outOfMemory, spec.limits());
    AttemptBox b = box;
    outcome.complete(new ProcessOutcome(v.status(), v.exitCode(), elapsedMs(), stdout.text(), stderr.text(),
        stdout.truncated() || stderr.truncated(), v.error(), v.reason(), usage, b == null ? null : b.enforcement(),
        outputBytes.get()));
  }

  /** The attempt has ended: its progress file goes (only if this attempt made it, so never on a caller's thread). */
  private void dropProgressFile() {
    if (progressFileMade) {
      ProgressFile.remove(progressFile);
    }
  }

  private long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  // ---- output ----

  private CompletableFuture<Void> pump(InputStream in, OutputTail tail) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (mask.none()) {
      async(new StreamPump(in, (buf, n) -> record(tail, buf, n, n), done));
      return done;
    }
    // why: each stream has its own masker, which holds back what may begin a secret split across two reads
    SecretMask.Stream masker = mask.stream();
    async(new StreamPump(in, (buf, n) -> {
      byte[] out = masker.feed(buf, 0, n);
      record(tail, out, out.length, n);
    }, () -> {
      byte[] rest = masker.flush();
      keep(tail, rest, rest.length);
    }, done));
    return done;
  }

  /** Keeps {@code kept} (the masked form of what was read) and counts {@code n} bytes of output read. */
  private void record(OutputTail tail, byte[] kept, int keptLen, int n) {
    if (finished.get()) {
      return; // why: after the outcome, a straggler's output is read only to keep the pipe flowing
    }
    keep(tail, kept, keptLen);
    long total = outputBytes.addAndGet(n);
    lastOutputAt = Instant.now();
    if (outputLimit > 0 && total > outputLimit) {
      boolean kill = false;
      synchronized (lock) {
        if (end == null) {
          end = AttemptEnd.OUTPUT_LIMIT;
          kill = true;
        }
      }
      if (kill) {
        async(this::killTree);
      }
    }
  }

  private void keep(OutputTail tail, byte[] b, int n) {
    if (finished.get() || n == 0) {
      return;
    }
    tail.append(b, 0, n);
    CappedLog l = log;
    if (l != null) {
      l.write(tail == stderr, b, 0, n);
    }
  }

  // ---- killing ----

  /** Kills whatever is left of the task and waits (bounded) until it is gone. Blocks; runs on {@code threads}. */
  private void killTree() {
    TaskProcess p;
    synchronized (lock) {
      p = process;
    }
    if (p != null) {
      killer.kill(p, box);
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
