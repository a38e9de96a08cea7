package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through the store: one manager holds a lease and leads; the others are standbys that try for it
 * now and then and, until it is theirs, answer 503 NOT_LEADER and hold nothing. A manager on a store no other
 * manager can share (memory) leads alone from the start.
 */
public final class LeaderLease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

  private final ClusterStore store;
  private final String managerId;
  private final Duration ttl;
  private volatile boolean leading;
  private Runnable onLeading = () -> { };
  private Runnable onLost = () -> { };
  private volatile Supplier<String> url = () -> null;

  private LeaderLease(ClusterStore store, String managerId, Duration ttl) {
    this.store = store;
    this.managerId = managerId;
    this.ttl = ttl;
  }

  /** A manager that leads alone, from the start. */
  public static LeaderLease sole(ClusterStore store) {
    return new LeaderLease(store, null, null);
  }

  /** A manager that leads only while it holds the store's lease (renewed every third of {@code ttl}). */
  public static LeaderLease elected(ClusterStore store, String managerId, Duration ttl) {
    return new LeaderLease(store, managerId, ttl);
  }

  /**
   * Where clients reach this manager's API (its advertised URL), kept with the lease so a standby can name it;
   * {@code null} until the API listens.
   */
  public LeaderLease url(Supplier<String> u) {
    this.url = u;
    return this;
  }

  /** What to do once this manager took over (after its state is recovered): it runs on the loop, so must not block. */
  public LeaderLease onLeading(Runnable r) {
    this.onLeading = r;
    return this;
  }

  /** What to do when another manager leads (the manager exits; its supervisor restarts it as a standby). */
  public LeaderLease onLost(Runnable r) {
    this.onLost = r;
    return this;
  }

  public boolean leading() {
    return leading;
  }

  /**
   * The answer of a standby: 503 NOT_LEADER, naming the leader when the store says who it is, by the API URL it
   * gave ({@code leader_url}, to follow) and by its manager id ({@code leader}).
   */
  <T> Future<T> refusal() {
    Future<String> id = store.leader();
    Future<String> where = store.leaderUrl();
    return Future.join(id, where).transform(ar -> {
      String leader = id.succeeded() ? id.result() : null;
      String leaderUrl = where.succeeded() ? where.result() : null;
      String who = leader == null ? "being elected; retry shortly"
          : leaderUrl != null ? "at " + leaderUrl + " (manager " + leader + "); send this request there"
          : "manager " + leader + ", which gave no URL (--advertise-url); ask it, or retry shortly";
      return Future.failedFuture(new ApiException(ErrorCode.NOT_LEADER, "this manager is a standby; the leader is "
          + who, new JsonObject().put("leader", leader).put("leader_url", leaderUrl)));
    });
  }

  /**
   * Starts leading ({@code takeOver} recovers the state and starts the loop): at once for a sole manager; for a
   * candidate, whenever its campaign wins the lease. Call it on the scheduler's loop.
   */
  Future<Void> start(Vertx vertx, Supplier<Future<Void>> takeOver) {
    if (managerId == null) {
      leading = true;
      return takeOver.get();
    }
    long every = Math.max(200, ttl.toMillis() / 3);
    vertx.setPeriodic(every, id -> store.tryLead(managerId, url.get(), ttl).onComplete(ar -> {
      boolean mine = ar.succeeded() && ar.result();
      if (mine && !leading) {
        LOG.info("this manager ({}) leads now; recovering the cluster's state", managerId);
        leading = true;
        takeOver.get().onSuccess(v -> onLeading.run())
            .onFailure(e -> lost("could not take over: " + e.getMessage()));
      } else if (!mine && leading && ar.succeeded()) {
        lost("the lease passed to another manager");
      }
    }));
    return Future.succeededFuture();
  }

  /**
   * The store refused a write because this manager's lease lapsed (a store outage longer than the lease, say).
   * If no other manager took it, take it back; if one did, step down. Completes with whether to carry on
   * (this manager leads on, or the store is still unreachable and the write is tried again later).
   */
  Future<Boolean> reclaim(String why) {
    if (managerId == null) {
      lost(why);
      return Future.succeededFuture(false);
    }
    return store.tryLead(managerId, url.get(), ttl).transform(ar -> {
      if (ar.succeeded() && ar.result()) {
        LOG.warn("the lease had lapsed ({}); no one else took it, so this manager leads on", why);
      } else if (ar.succeeded()) {
        lost(why);
        return Future.succeededFuture(false);
      }
      return Future.succeededFuture(true);
    });
  }

  /** Another manager holds the lease: this one must not write another thing. */
  private void lost(String why) {
    LOG.error("lost the leadership ({}); stopping so a supervisor restarts this manager as a standby", why);
    onLost.run();
  }
}
