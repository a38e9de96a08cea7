package io.heady.common.exec;

import io.heady.common.exec.contain.Containment;
import io.heady.common.exec.contain.GroupKill;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts task processes. {@link #start} never blocks and never throws for a task that cannot run: the
 * spawn happens on {@code threads} and every problem ends up in the {@link ProcessOutcome}.
 *
 * <p>On Linux each task is spawned by {@link NativeSpawner} ({@code posix_spawn}: its own session, its priority and,
 * on cgroup v1, its control groups inherited from the spawning thread, then {@code [containment prefix] program…}
 * in one process creation); where that cannot run, as {@code setsid -- [containment prefix] [nice -n N --]
 * program…} through ProcessBuilder. Either way its pid is the
 * id of its own process group, which it owns (see the package documentation). The {@link Containment} puts it in
 * its control group and switches to the task user before the program runs. The task's environment is the runner's,
 * minus every {@code HEADY_*} variable, plus {@link ProcessSpec#env()}, plus {@code HEADY_PROGRESS_FILE} when the
 * spec has a progress file ({@link ProcessSpec#PROGRESS_FILE_ENV}); its stdin is {@code /dev/null}.
 *
 * <p>{@code threads} carries two blocking output readers per running task for the task's whole life plus
 * short spawn and kill jobs; it must be unbounded (for example {@code Executors.newCachedThreadPool()}) or
 * much larger than twice the concurrent tasks. {@code timers} only schedules timeouts; give it
 * {@code setRemoveOnCancelPolicy(true)} so long timeouts of finished tasks do not linger.
 */
public final class ProcessRunner {
  private final ExecutorService threads;
  private final ScheduledExecutorService timers;
  private final Tools tools;
  private final Map<String, String> inheritedEnv;
  private final Containment containment;
  private final GroupKill groupKill;
  private final NativeSpawner spawner;

  /** A runner without containment: tasks run as this JVM's user, killed by process group. */
  public ProcessRunner(ExecutorService threads, ScheduledExecutorService timers) {
    this(threads, timers, Containment.none());
  }

  /** A runner whose tasks are contained by {@code containment} (see {@code ContainmentProbe}). */
  public ProcessRunner(ExecutorService threads, ScheduledExecutorService timers, Containment containment) {
    this(threads, timers, Tools.system(), System.getenv(), containment);
  }

  // why: tests choose the tools (to exercise the no-setsid fallback) and the inherited environment (a JVM
  // cannot change its own, and the HEADY_* filter must be proven on variables that are really there)
  ProcessRunner(ExecutorService threads, ScheduledExecutorService timers, Tools tools,
      Map<String, String> inheritedEnv) {
    this(threads, timers, tools, inheritedEnv, Containment.none());
  }

  ProcessRunner(ExecutorService threads, ScheduledExecutorService timers, Tools tools,
      Map<String, String> inheritedEnv, Containment containment) {
    this(threads, timers, tools, inheritedEnv, containment, tools.groups() ? NativeSpawner.system() : null);
  }

  // why: tests run every spawning case on both paths: the native spawner and ProcessBuilder ({@code null})
  ProcessRunner(ExecutorService threads, ScheduledExecutorService timers, Tools tools,
      Map<String, String> inheritedEnv, Containment containment, NativeSpawner spawner) {
    this.threads = Objects.requireNonNull(threads, "threads");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.tools = Objects.requireNonNull(tools, "tools");
    this.inheritedEnv = Map.copyOf(inheritedEnv);
    this.containment = Objects.requireNonNull(containment, "containment");
    this.groupKill = GroupKill.system();
    this.spawner = spawner;
  }

  /**
   * How this runner starts tasks, in words: natively ({@code posix_spawn}, one process creation per task) or
   * through ProcessBuilder with the reason.
   */
  public String spawning() {
    return spawner != null ? "native posix_spawn" : "ProcessBuilder (" + (NativeSpawner.unavailableReason() == null
        ? "chosen" : NativeSpawner.unavailableReason()) + ")";
  }

  /** How this runner contains tasks (what the node reports as its {@code containment}). */
  public Containment containment() {
    return containment;
  }

  /** Starts the process without blocking the caller (spawn happens on {@code threads}). */
  public RunningProcess start(ProcessSpec spec) {
    Objects.requireNonNull(spec, "spec");
    RunningProcess rp = new RunningProcess(spec, threads, timers, tools, groupKill, spawner);
    try {
      threads.execute(() -> rp.launch(
          () -> containment.open(spec.taskId(), attemptKey(), spec.limits(), spec.runAs(), spec.timeoutMs()),
          box -> LaunchPlan.prepare(spec, tools, inheritedEnv, box, rp.progressFile(), spawner != null)));
    } catch (RejectedExecutionException e) {
      rp.failToStart("cannot run: the process runner is shut down");
    }
    return rp;
  }

  // why: two attempts of one task may overlap on a node for a moment (a revoked lease still dying)
  private static String attemptKey() {
    return Long.toString(System.nanoTime(), 36);
  }
}
