package io.heady.manager.metrics;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Readiness of the scheduler loop: a read must come back within the limit (2 s in the manager), else the
 * loop is stuck or starved and nothing is being placed.
 */
public final class SchedulerLoopCheck implements Handler<Promise<Status>> {
  private final Vertx vertx;
  private final Supplier<Future<Integer>> probe;
  private final long limitMs;

  /**
   * @param probe a read on the scheduler's loop answering the number of queued tasks
   * @param limitMs how long the loop may take to answer
   */
  public SchedulerLoopCheck(Vertx vertx, Supplier<Future<Integer>> probe, long limitMs) {
    this.vertx = vertx;
    this.probe = probe;
    this.limitMs = limitMs;
  }

  @Override
  public void handle(Promise<Status> p) {
    long start = System.nanoTime();
    AtomicBoolean done = new AtomicBoolean();
    long timer = vertx.setTimer(limitMs, id -> {
      if (done.compareAndSet(false, true)) {
        p.tryComplete(Status.KO(new JsonObject().put("reason", "the scheduler loop did not answer within "
            + limitMs + " ms").put("limit_ms", limitMs)));
      }
    });
    Future<Integer> f;
    try {
      f = probe.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      vertx.cancelTimer(timer);
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (ar.succeeded()) {
        p.tryComplete(Status.OK(new JsonObject().put("queued", ar.result()).put("answered_in_ms", ms)));
      } else {
        p.tryComplete(Status.KO(new JsonObject().put("reason", "the scheduler failed a read: "
            + ar.cause().getMessage())));
      }
    });
  }
}
