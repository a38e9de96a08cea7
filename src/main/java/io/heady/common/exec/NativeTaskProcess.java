package io.heady.common.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * A task process started by {@link NativeSpawner}: its own session and process group leader, output read
 * from two pipes, its end learnt by a thread blocked in {@code waitid}. The waiter first waits without
 * reaping ({@code WNOWAIT}), then reaps under the same lock {@link #signal} takes, so a signal can never reach
 * a pid that was already reaped (and perhaps reused).
 */
final class NativeTaskProcess implements TaskProcess {
  private final Libc libc;
  private final int pid;
  private final FdInputStream stdout;
  private final FdInputStream stderr;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile boolean exited;
  // guarded by this
  private boolean reaped;

  NativeTaskProcess(Libc libc, int pid, int stdoutFd, int stderrFd) {
    this.libc = libc;
    this.pid = pid;
    this.stdout = new FdInputStream(libc, stdoutFd);
    this.stderr = new FdInputStream(libc, stderrFd);
  }

  /** Starts the waiter on {@code threads} (it blocks for the leader's whole life). */
  void watch(Executor threads) {
    threads.execute(this::awaitExit);
  }

  private void awaitExit() {
    // siginfo_t is 128 bytes
    Memory info = new Memory(128);
    while (true) {
      try {
        libc.waitid(Libc.P_PID, pid, info, Libc.WEXITED | Libc.WNOWAIT);
        break;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Libc.EINTR) {
          break; // ECHILD: nothing to wait for any more; reap below says what it can
        }
      }
    }
    exited = true;
    int code;
    synchronized (this) {
      reaped = true;
      code = reap();
    }
    exit.complete(code);
  }

  private int reap() {
    IntByReference status = new IntByReference();
    while (true) {
      try {
        libc.waitpid(pid, status, 0);
        return exitValue(status.getValue());
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Libc.EINTR) {
          return -1;
        }
      }
    }
  }

  /** The exit value as {@link Process#exitValue()} gives it: the status, or 128 + the signal that ended it. */
  static int exitValue(int status) {
    int sig = status & 0x7f;
    return sig == 0 ? (status >> 8) & 0xff : 0x80 + sig;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean ownGroup() {
    return true;
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public InputStream stderr() {
    return stderr;
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public boolean alive() {
    return !exited;
  }

  @Override
  public synchronized void signal(boolean force) {
    if (reaped) {
      return;
    }
    try {
      libc.kill(pid, force ? Libc.SIGKILL : Libc.SIGTERM);
    } catch (LastErrorException e) {
      // why: it is a zombie at worst while not reaped; nothing else to do
    }
  }

  @Override
  public void abandonOutput() {
    stdout.abandon();
    stderr.abandon();
  }

  @Override
  public Stream<ProcessHandle> descendants() {
    return exited ? Stream.empty() : ProcessHandle.of(pid).map(ProcessHandle::descendants).orElse(Stream.empty());
  }
}
