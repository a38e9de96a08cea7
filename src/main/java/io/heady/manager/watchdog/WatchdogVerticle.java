package io.heady.manager.watchdog;

import io.heady.manager.scheduler.ClusterService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Ticks the {@link Watchdog} on the scheduler's loop; the decisions are the watchdog's, by its clock. */
public final class WatchdogVerticle extends VerticleBase {
  private final ClusterService cluster;
  private final Watchdog watchdog;
  private final long everyMs;

  public WatchdogVerticle(ClusterService cluster, Watchdog watchdog, long everyMs) {
    this.cluster = cluster;
    this.watchdog = watchdog;
    this.everyMs = everyMs;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(everyMs, id -> cluster.watch(watchdog));
    return Future.succeededFuture();
  }
}
