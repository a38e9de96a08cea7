package io.heady.manager;

import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.Keys;
import io.heady.manager.placement.PlacementSettings;
import io.heady.manager.scheduler.SchedulerSettings;
import io.heady.manager.store.ClusterStore;
import io.heady.manager.store.MemoryClusterStore;
import io.heady.manager.watchdog.Watchdog;
import java.time.Clock;
import java.time.Duration;

/** The manager's settings read from its flags, one section each: the scheduler, the watchdog, the store. */
final class ManagerSettings {
  private ManagerSettings() {}

  /** The scheduler's settings from the flags; refuses timings that contradict each other. */
  static SchedulerSettings scheduler(Config cfg) {
    long hb = cfg.longValue(Keys.HEARTBEAT_SEC);
    long ttl = cfg.longValue(Keys.TTL_SEC);
    long off = cfg.longValue(Keys.OFFLINE_SEC);
    if (ttl <= hb) {
      throw new ConfigException("--ttl-sec (" + ttl + ") must be longer than --heartbeat-sec (" + hb + ")");
    }
    if (off <= ttl) {
      throw new ConfigException("--offline-sec (" + off + ") must be longer than --ttl-sec (" + ttl + ")");
    }
    // why: what no flag sets (retry timing, the faults before quarantine, finished tasks kept in memory: sized
    // for the default 512 MB heap, older ones are read from the store) keeps the one default its record holds
    SchedulerSettings d = SchedulerSettings.defaults();
    return new SchedulerSettings(Duration.ofSeconds(hb), Duration.ofSeconds(ttl), Duration.ofSeconds(off),
        cfg.integer(Keys.MAX_REQUEUES), d.retryBase(), d.retryMax(), d.finishedInMemory(), PlacementSettings.from(cfg),
        new io.heady.manager.node.NodeLiveness.Settings(cfg.integer(Keys.PROBE_FAILURES),
            cfg.integer(Keys.PROBATION_TASKS), d.liveness().quarantineMinFaults()));
  }

  /** The watchdog's stall and per-priority stagnation limits from the flags. */
  static Watchdog watchdog(Config cfg) {
    String raw = cfg.string(Keys.STAGNATION_SEC);
    String[] parts = raw.split(",");
    if (parts.length != 4) {
      throw new ConfigException("--stagnation-sec: '" + raw + "' must be four numbers of seconds, P0,P1,P2,P3");
    }
    java.util.List<Duration> limits = new java.util.ArrayList<>();
    for (String p : parts) {
      try {
        long v = Long.parseLong(p.trim());
        if (v < 1) {
          throw new NumberFormatException();
        }
        limits.add(Duration.ofSeconds(v));
      } catch (NumberFormatException e) {
        throw new ConfigException("--stagnation-sec: '" + p.trim() + "' is not a positive number of seconds");
      }
    }
    return new Watchdog(Duration.ofSeconds(cfg.longValue(Keys.STALL_SEC)), limits);
  }

  /** The store {@code --store} names: memory or Redis. */
  static ClusterStore openStore(Config cfg, io.vertx.core.Vertx vertx, String clusterName) {
    String s = cfg.string(Keys.STORE);
    if (s.equals("memory")) {
      return new MemoryClusterStore();
    }
    if (s.startsWith("redis://") || s.startsWith("rediss://")) {
      try {
        return new io.heady.manager.store.RedisClusterStore(vertx, s,
            io.heady.manager.store.RedisClusterStore.Settings.forCluster(clusterName), Clock.systemUTC());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--store: " + e.getMessage());
      }
    }
    throw new ConfigException("--store: '" + s.replaceAll(":[^:@/]*@", ":***@")
        + "' must be memory or redis://[:password@]host:port/db");
  }
}
