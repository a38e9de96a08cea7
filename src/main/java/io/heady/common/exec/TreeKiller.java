package io.heady.common.exec;

import io.heady.common.exec.contain.AttemptBox;
import io.heady.common.exec.contain.GroupKill;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kills whatever is left of one task and waits (bounded) until it is gone. With a control group, the whole
 * group ({@link GroupKill}: SIGTERM, the kill grace, then freeze and SIGKILL until it is empty), so processes
 * that left the task's session die too. Without one, the task's process group and every descendant seen:
 * SIGTERM, the grace, SIGKILL. Blocking; one kill at a time per task.
 *
 * <p>At the usual end (the leader exited and was reaped) nothing walks {@code /proc}: one read of the group
 * tells it is empty, or without a group {@code kill(-pgid, 0)} does; the scan runs only when something is
 * left. A bare pid is only ever signalled through {@link TaskProcess#signal}, which refuses once it was reaped.
 */
final class TreeKiller {
  /** Polls for a dead tree: from 5 ms, doubling, at most 50 ms apart. */
  private static final io.heady.common.retry.Backoff POLL = io.heady.common.retry.Backoff.doubling(5, 50);
  /** How long to wait for the tree to disappear after SIGKILL before giving up on it. */
  static final long AFTER_KILL_MS = 2000;
  /** How long SIGKILL rounds may go on for a group that keeps forking. */
  static final Duration GROUP_HARD = Duration.ofSeconds(5);

  private final Tools tools;
  private final Duration grace;
  private final GroupKill groupKill;
  private final NativeSpawner signals; // group signals through kill(2), or null: the kill program

  TreeKiller(Tools tools, Duration grace, GroupKill groupKill, NativeSpawner signals) {
    this.tools = tools;
    this.grace = grace;
    this.groupKill = groupKill;
    this.signals = signals;
  }

  /** Kills what is left of the task whose first process is {@code p}, in its group when {@code box} has one. */
  synchronized void kill(TaskProcess p, AttemptBox box) {
    if (box != null && box.whole()) {
      groupKill.stop(box.group(), grace, GROUP_HARD);
      // why: the leader is in the group, so it is dead already
      p.signal(true);
      return;
    }
    boolean group = p.ownGroup();
    long pgid = p.pid();
    if (!p.alive() && group && signals != null && !signals.groupLeft(pgid)) {
      // why: the leader's children went to init when it died, so an empty group is all there is to check
      return;
    }
    Set<ProcessHandle> seen = members(p, group, pgid);
    if (!p.alive() && seen.isEmpty()) {
      return;
    }
    if (group) {
      signalGroup("TERM", pgid);
    }
    // why: belt and braces: descendants that left the group, and the only way where setsid is missing;
    // descendants first, then the process, so a dying shell cannot orphan children before they are hit
    seen.forEach(ProcessHandle::destroy);
    p.signal(false);
    if (waitGone(p, group, pgid, seen, grace.toMillis())) {
      return;
    }
    seen.addAll(members(p, group, pgid));
    if (group) {
      signalGroup("KILL", pgid);
    }
    seen.forEach(ProcessHandle::destroyForcibly);
    p.signal(true);
    waitGone(p, group, pgid, seen, AFTER_KILL_MS);
  }

  private void signalGroup(String signal, long pgid) {
    if (signals != null) {
      signals.signalGroup(pgid, "KILL".equals(signal));
    } else {
      ProcessTree.signalGroup(tools.kill(), signal, pgid);
    }
  }

  /** Live descendants of the process, plus live members of its group when it has one. */
  private static Set<ProcessHandle> members(TaskProcess p, boolean group, long pgid) {
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

  private static boolean waitGone(TaskProcess p, boolean group, long pgid, Set<ProcessHandle> seen, long ms) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    long pause = POLL.first();
    while (true) {
      boolean gone = !p.alive()
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
      pause = POLL.next(pause);
    }
  }
}
