package io.heady.client.chaos;

import java.util.List;
import java.util.Locale;

/**
 * The flags of a chaos run, checked once: {@link #check()} names the first bad flag and the values it allows.
 * The cluster's timings are fixed and short (a TTL of 4 s instead of 120 s), so that a node's loss, a pause past
 * its TTL and its return take seconds and a run takes minutes.
 */
public record ChaosSettings(boolean local, String store, int agents, int httpAgents, int slots, int tasks, int rate,
    int taskMs, int agentKills, int pauses, double pauseSec, int redisKillSec, int managerKills,
    double restartAfterSec, int timeoutSec) {
  public static final int HEARTBEAT_SEC = 1;
  public static final int TTL_SEC = 4;
  public static final int OFFLINE_SEC = 12;
  public static final int PROBE_SEC = 2;
  public static final int HZ_MAX_NO_HEARTBEAT_SEC = 4;
  static final int MAX_AGENTS = 16;

  /** The manager's flags for these timings (and info logs: the manager's log explains what the audit finds). */
  public List<String> managerArgs() {
    return List.of("--heartbeat-sec=" + HEARTBEAT_SEC, "--ttl-sec=" + TTL_SEC, "--offline-sec=" + OFFLINE_SEC,
        "--probe-sec=" + PROBE_SEC, "--hz-max-no-heartbeat-sec=" + HZ_MAX_NO_HEARTBEAT_SEC, "--log-level=info");
  }

  /** How long the stream of submissions lasts: tasks / rate. */
  public double streamSec() {
    return tasks / (double) rate;
  }

  /**
   * Throws an {@link IllegalArgumentException} naming the first bad flag and its allowed range.
   */
  public void check() {
    if (!local) {
      fail("heady chaos needs --local: it starts, kills and restarts processes of its own, and never touches a "
          + "cluster that is already running");
    }
    if (!List.of("memory", "redis").contains(store)) {
      fail("--store must be memory or redis, not '" + store + "'");
    }
    range("--agents", agents, 0, MAX_AGENTS);
    range("--http-agents", httpAgents, 0, MAX_AGENTS);
    if (agents + httpAgents < 1 || agents + httpAgents > MAX_AGENTS) {
      fail("--agents plus --http-agents must be from 1 to " + MAX_AGENTS + ", not " + (agents + httpAgents));
    }
    range("--slots", slots, 1, 64);
    range("--tasks", tasks, 1, 1_000_000);
    range("--rate", rate, 1, 1000);
    range("--task-ms", taskMs, 0, 60_000);
    range("--agent-kills", agentKills, 0, 1000);
    range("--pauses", pauses, 0, 1000);
    if (!(pauseSec > TTL_SEC && pauseSec <= 300)) {
      fail(String.format(Locale.ROOT, "--pause-sec must be more than the TTL (%d s) and at most 300, not %s",
          TTL_SEC, num(pauseSec)));
    }
    range("--redis-kill-sec", redisKillSec, 0, 300);
    range("--manager-kills", managerKills, 0, 3);
    if (!(restartAfterSec >= 0.1 && restartAfterSec <= 60)) {
      fail("--restart-after must be from 0.1 to 60 seconds, not " + num(restartAfterSec));
    }
    range("--timeout", timeoutSec, 10, 86_400);
    if ("memory".equals(store) && redisKillSec > 0) {
      fail("--redis-kill-sec needs --store redis (this run's store is memory, so there is no Redis to kill)");
    }
    if ("memory".equals(store) && managerKills > 0) {
      fail("--manager-kills needs --store redis: a manager restarted on the memory store starts empty, so killing "
          + "it loses every task by design; use --store redis or --manager-kills 0");
    }
  }

  private static void range(String flag, long v, long min, long max) {
    if (v < min || v > max) {
      fail(flag + " must be from " + min + " to " + max + ", not " + v);
    }
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static void fail(String message) {
    throw new IllegalArgumentException(message);
  }
}
