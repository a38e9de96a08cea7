package io.heady.common.exec.contain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Stops everything in one attempt's group, so nothing escapes: SIGTERM to every member and up to the grace
 * for them to go; then, round after round until the group is empty or the deadline passes, either the
 * kernel's {@code cgroup.kill} or freeze, SIGKILL every pid listed, thaw. Frozen processes cannot fork or
 * exit, so the list of pids cannot change (or be reused) between reading it and killing it; a process that
 * left its session or process group is still in the group and dies with it.
 *
 * <p>Time comes from the injected clock and passes through the injected pause, so tests run the whole
 * protocol against a fake group without waiting. Blocking: call it on a runner thread.
 */
public final class GroupKill {
  /** Polls for an empty group: from 5 ms, doubling, at most 50 ms apart. */
  private static final io.heady.common.retry.Backoff POLL = io.heady.common.retry.Backoff.doubling(5, 50);
  /** Sends signals by pid. */
  public interface Signals {
    void term(long pid);

    void kill(long pid);
  }

  /** Waits a moment (tests move their clock instead). */
  public interface Pause {
    void pause(long ms);
  }

  /**
   * What a stop did.
   *
   * @param rounds SIGKILL rounds needed (0: SIGTERM was enough, or nothing was running)
   * @param left processes still in the group at the deadline (empty: the group is empty)
   */
  public record Result(int rounds, Set<Long> left) {
    public boolean clean() {
      return left.isEmpty();
    }
  }

  private final Signals signals;
  private final Clock clock;
  private final Pause pause;

  public GroupKill(Signals signals, Clock clock, Pause pause) {
    this.signals = signals;
    this.clock = clock;
    this.pause = pause;
  }

  /** Signals through {@link ProcessHandle}, this JVM's clock and a real sleep. */
  public static GroupKill system() {
    long self = ProcessHandle.current().pid();
    return new GroupKill(new Signals() {
      @Override
      public void term(long pid) {
        if (pid != self) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
      }

      @Override
      public void kill(long pid) {
        if (pid != self) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }, Clock.systemUTC(), ms -> {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * Stops the group: SIGTERM and up to {@code grace}, then SIGKILL rounds until it is empty, at most
   * {@code hard} longer.
   */
  public Result stop(Confined g, Duration grace, Duration hard) {
    // why: the usual end, a task that left nothing behind, costs one read
    if (g.empty()) {
      return new Result(0, Set.of());
    }
    Set<Long> now = g.members();
    if (now.isEmpty()) {
      return new Result(0, Set.of());
    }
    if (!grace.isZero()) {
      now.forEach(signals::term);
      if (waitEmpty(g, clock.instant().plus(grace))) {
        return new Result(0, Set.of());
      }
    }
    return kill(g, hard);
  }

  /** SIGKILL rounds only (no grace): until the group is empty, at most {@code hard}. */
  public Result kill(Confined g, Duration hard) {
    Instant deadline = clock.instant().plus(hard);
    int rounds = 0;
    while (true) {
      Set<Long> members = g.members();
      if (members.isEmpty()) {
        return new Result(rounds, Set.of());
      }
      if (!clock.instant().isBefore(deadline)) {
        return new Result(rounds, new LinkedHashSet<>(members));
      }
      rounds++;
      if (!g.killAll()) {
        boolean frozen = g.freeze(true);
        try {
          g.members().forEach(signals::kill);
        } finally {
          if (frozen) {
            // why: a frozen process does not act on SIGKILL until it is thawed
            g.freeze(false);
          }
        }
      }
      waitEmpty(g, min(deadline, clock.instant().plusMillis(200)));
    }
  }

  private boolean waitEmpty(Confined g, Instant until) {
    long step = POLL.first();
    while (!g.members().isEmpty()) {
      if (!clock.instant().isBefore(until)) {
        return false;
      }
      pause.pause(step);
      step = POLL.next(step);
    }
    return true;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
