package io.heady.common.exec;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts task processes. {@link #start} never blocks and never throws for a task that cannot run: the
 * spawn happens on {@code threads} and every problem ends up in the {@link ProcessOutcome}.
 *
 * <p>On Linux each task runs as {@code setsid -- [nice -n N --] program…}: its pid is the id of its own
 * process group, which it owns (see the package documentation). The task's environment is the runner's,
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

  public ProcessRunner(ExecutorService threads, ScheduledExecutorService timers) {
    this(threads, timers, Tools.system(), System.getenv());
  }

  // why: tests choose the tools (to exercise the no-setsid fallback) and the inherited environment (a JVM
  // cannot change its own, and the HEADY_* filter must be proven on variables that are really there)
  ProcessRunner(ExecutorService threads, ScheduledExecutorService timers, Tools tools,
      Map<String, String> inheritedEnv) {
    this.threads = Objects.requireNonNull(threads, "threads");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.tools = Objects.requireNonNull(tools, "tools");
    this.inheritedEnv = Map.copyOf(inheritedEnv);
  }

  /** Starts the process without blocking the caller (spawn happens on {@code threads}). */
  public RunningProcess start(ProcessSpec spec) {
    Objects.requireNonNull(spec, "spec");
    RunningProcess rp = new RunningProcess(spec, threads, timers, tools);
    try {
      threads.execute(() -> rp.launch(() -> LaunchPlan.prepare(spec, tools, inheritedEnv)));
    } catch (RejectedExecutionException e) {
      rp.failToStart("cannot run: the process runner is shut down");
    }
    return rp;
  }
}
