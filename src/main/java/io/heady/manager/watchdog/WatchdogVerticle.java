package io.heady.manager.watchdog;

import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Ticks the {@link Watchdog} on the scheduler's loop; the decisions are the watchdog's, by its clock. */
public final class WatchdogVerticle extends VerticleBase {
  private final SchedulerVerticle scheduler;
  private final Watchdog watchdog;
  private final long everyMs;

  public WatchdogVerticle(SchedulerVerticle scheduler, Watchdog watchdog, long everyMs) {
    this.scheduler = scheduler;
    this.watchdog = watchdog;
    this.everyMs = everyMs;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(everyMs, id -> scheduler.call((s, now) -> {
      watchdog.check(s, now, scheduler);
      return null;
    }));
    return Future.succeededFuture();
  }
}
