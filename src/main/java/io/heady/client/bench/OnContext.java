package io.heady.client.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Closing, from the bench's own thread, what lives on one Vert.x context (clients, servers, timers). */
public final class OnContext {
  private OnContext() {}

  /**
   * Runs {@code closers} on the context and waits, at most 10 s, until every future it returned is done.
   * Failures are ignored: it is closing anyway.
   */
  public static void close(Context ctx, Supplier<List<Future<?>>> closers) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    ctx.runOnContext(v -> Future.join(closers.get()).onComplete(ar -> f.complete(null)));
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
  }
}
