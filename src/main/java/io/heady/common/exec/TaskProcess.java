package io.heady.common.exec;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A task's first process, however it was spawned: through {@link ProcessBuilder} ({@link JdkTaskProcess}) or
 * glibc's {@code posix_spawn} ({@link NativeTaskProcess}). Signals go to the leader only while it has not been
 * reaped, so a pid the kernel may already have handed to another process is never signalled.
 */
interface TaskProcess {
  long pid();

  /** Whether the leader is its own session and process group leader (its pid is its group's id). */
  boolean ownGroup();

  InputStream stdout();

  InputStream stderr();

  /** Completes with the exit value (128 + signal when a signal ended it) once the leader is reaped. */
  CompletableFuture<Integer> exit();

  /** Whether the leader has not exited yet. */
  boolean alive();

  /** SIGTERM ({@code force}: SIGKILL) to the leader, unless it has already been reaped. */
  void signal(boolean force);

  /**
   * Output is no longer wanted (the outcome is complete while something outside the task still holds its pipes):
   * the readers end soon instead of waiting for that process.
   */
  void abandonOutput();

  /** The leader's live descendants (empty once it is gone: its children were handed to init). */
  Stream<ProcessHandle> descendants();
}
