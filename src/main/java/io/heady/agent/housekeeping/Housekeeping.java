package io.heady.agent.housekeeping;

import io.heady.agent.AgentState;
import io.heady.common.config.Config;
import io.heady.common.config.Keys;
import io.heady.common.exec.TaskSlots;
import io.heady.common.protocol.Refusal;
import io.heady.common.retention.LogRetention;
import io.heady.common.retention.LogSweeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own upkeep, on threads of its own (disk and file work, never an event loop): every few seconds
 * whether its disk has room for new work ({@link DiskGuard}; while not, its task slots refuse new tasks and its
 * heartbeat says {@code disk_full}), and every {@code --log-sweep-sec} its task logs against the retention
 * ({@link LogSweeper}). Lives as long as the agent, across transport sessions.
 */
public final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  /** How often the disk is asked; a statvfs call, cheap. */
  static final Duration DISK_EVERY = Duration.ofSeconds(5);

  private final DiskGuard guard;
  private final TaskSlots slots;
  private final AgentState state;
  private final Runnable changed;
  private ScheduledThreadPoolExecutor timer;
  private LogSweeper sweeper;
  private boolean askFailed;

  /** @param changed told (on the housekeeping thread) when the node's standing changed: heartbeat it now */
  public Housekeeping(DiskGuard guard, TaskSlots slots, AgentState state, Runnable changed) {
    this.guard = guard;
    this.slots = slots;
    this.state = state;
    this.changed = changed;
  }

  /**
   * Checks the disk once now (so the node's first heartbeat and its first dispatch already know), then keeps
   * checking it and sweeping {@code <data dir>/logs} until {@link #close}.
   */
  public static Housekeeping start(Config cfg, Path dataDir, TaskSlots slots, AgentState state, Runnable changed) {
    DiskGuard guard = new DiskGuard(new DiskGuard.Settings(cfg.longValue(Keys.MIN_FREE_MB),
        cfg.integer(Keys.MIN_FREE_PCT)), DiskGuard.Space.of(dataDir), dataDir);
    Housekeeping h = new Housekeeping(guard, slots, state, changed);
    h.checkDisk();
    h.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "heady-disk-check");
      t.setDaemon(true);
      return t;
    });
    h.timer.scheduleWithFixedDelay(h::checkDisk, DISK_EVERY.toMillis(), DISK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    LogRetention retention = new LogRetention(LogRetention.Settings.of(cfg.longValue(Keys.LOG_RETENTION_DAYS),
        cfg.longValue(Keys.LOG_MAX_MB)));
    h.sweeper = new LogSweeper(dataDir.resolve("logs"), retention, slots::runningIds, Clock.systemUTC())
        .every(Duration.ofSeconds(cfg.longValue(Keys.LOG_SWEEP_SEC)), "heady-log-retention");
    return h;
  }

  /** Asks the disk once and applies the answer; never throws. */
  public void checkDisk() {
    Refusal r;
    try {
      r = guard.check();
      askFailed = false;
    } catch (IOException | RuntimeException e) {
      if (!askFailed) {
        LOG.warn("cannot read the free space of the disk under the data dir ({}); the node's standing stays as it"
            + " was", e.toString());
      }
      askFailed = true;
      return;
    }
    Refusal before = state.refusing();
    boolean full = r != null && Refusal.DISK_FULL.equals(r.reason());
    boolean wasFull = before != null && Refusal.DISK_FULL.equals(before.reason());
    slots.diskFull(full ? r.message() : null);
    if (!state.refusing(r)) {
      return;
    }
    if (full && !wasFull) {
      LOG.warn("disk_full: {}; running tasks go on, no new task is taken", r.message());
    } else if (!full && wasFull) {
      LOG.info("the disk under the data dir has room again: taking new tasks");
    }
    changed.run();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (sweeper != null) {
      sweeper.close();
    }
  }
}
