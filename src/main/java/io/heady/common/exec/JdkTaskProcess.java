package io.heady.common.exec;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** A task process started by {@link ProcessBuilder} (the fallback where the native spawner cannot run). */
final class JdkTaskProcess implements TaskProcess {
  private final Process p;
  private final boolean ownGroup;
  private final CompletableFuture<Integer> exit;

  JdkTaskProcess(Process p, boolean ownGroup) {
    this.p = p;
    this.ownGroup = ownGroup;
    // why: the JDK's reaper thread completes onExit; the value is read once it has reaped the leader
    this.exit = p.onExit().thenApply(Process::exitValue);
  }

  @Override
  public long pid() {
    return p.pid();
  }

  @Override
  public boolean ownGroup() {
    return ownGroup;
  }

  @Override
  public InputStream stdout() {
    return p.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return p.getErrorStream();
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public boolean alive() {
    return p.isAlive();
  }

  // why: through the handle, never Process.destroy, which also closes our ends of the pipes and loses output
  // the readers have not taken yet; the JDK does not signal a child it has reaped
  @Override
  public void signal(boolean force) {
    if (force) {
      p.toHandle().destroyForcibly();
    } else {
      p.toHandle().destroy();
    }
  }

  // why: the JDK already drained and closed its pipe ends when the leader was reaped
  @Override
  public void abandonOutput() {}

  @Override
  public Stream<ProcessHandle> descendants() {
    return p.descendants();
  }
}
