package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;

/**
 * Whether the store took the last write, and the one gate in front of changes that people and programs ask
 * for: while the store is known to be down they are refused at once (503), so nothing is half-accepted.
 */
final class StoreHealth {
  private final ClusterStore store;
  private volatile boolean healthy = true;

  StoreHealth(ClusterStore store) {
    this.store = store;
  }

  boolean healthy() {
    return healthy;
  }

  /** The last write reached the store, or did not. */
  void wrote(boolean ok) {
    healthy = ok;
  }

  /**
   * Succeeds at once while the store is healthy; after a failed write, asks the store again and fails with
   * 503 STORE_UNAVAILABLE, saying nothing was {@code notDone} ("changed", "submitted"), when it still does not
   * answer.
   */
  Future<Void> gate(String notDone) {
    if (healthy) {
      return Future.succeededFuture();
    }
    return store.ping().transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new ApiException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable ("
            + store.describe() + "); nothing was " + notDone + "; retry shortly"));
      }
      healthy = true;
      return Future.succeededFuture();
    });
  }
}
