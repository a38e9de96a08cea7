package io.heady.agent.heartbeat;

import io.heady.agent.AgentState;
import io.heady.agent.executor.ExecutorVerticle;
import io.heady.agent.link.LinkException;
import io.heady.agent.link.ManagerLink;
import io.heady.common.protocol.Heartbeat;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this node, then heartbeats on the interval the manager asks for. A heartbeat answered with
 * {@code UNKNOWN_NODE} (the manager restarted) triggers a new registration at once; an unreachable manager
 * is retried with backoff. Registration carries the running tasks so the manager can re-attach them.
 */
public final class HeartbeatVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatVerticle.class);
  private final AgentState state;
  private final ManagerLink link;
  private final ExecutorVerticle executor;
  private long intervalMs;
  private long timer = -1;
  private long registerBackoffMs = 250;
  private boolean registering;
  private boolean stopped;

  public HeartbeatVerticle(AgentState state, ManagerLink link, ExecutorVerticle executor, long intervalMs) {
    this.state = state;
    this.link = link;
    this.executor = executor;
    this.intervalMs = intervalMs;
  }

  @Override
  public Future<?> start() {
    register();
    return Future.succeededFuture();
  }

  private void register() {
    if (registering || stopped) {
      return;
    }
    registering = true;
    link.register(state.registration(executor.heldTaskIds()).toJson()).onComplete(ar -> {
      registering = false;
      if (ar.succeeded()) {
        JsonObject r = ar.result();
        registerBackoffMs = 250;
        executor.limit(r.getInteger("max_concurrent", 1));
        intervalMs = Math.max(200, r.getLong("heartbeat_interval_sec", intervalMs / 1000) * 1000);
        state.registered(r.getString("tier"), r.getString("status"));
        LOG.info("registered as {} (tier {}, {} slots, heartbeat every {} s)", state.nodeId(), r.getString("tier"),
            r.getInteger("max_concurrent"), intervalMs / 1000);
        beat();
      } else {
        state.unregistered("registering");
        LOG.warn("registration failed: {}; retrying in {} ms", ar.cause().getMessage(), registerBackoffMs);
        schedule(registerBackoffMs, this::register);
        registerBackoffMs = Math.min(10_000, registerBackoffMs * 2);
      }
    });
  }

  private void beat() {
    if (stopped) {
      return;
    }
    Heartbeat hb = new Heartbeat(state.nodeId(), executor.running(), executor.heldTaskIds(), state.stats());
    link.heartbeat(hb.toJson()).onComplete(ar -> {
      if (ar.succeeded()) {
        schedule(intervalMs, this::beat);
      } else if (ar.cause() instanceof LinkException e && e.unknownNode()) {
        LOG.info("the manager does not know this node (it restarted?); registering again");
        state.unregistered("re-registering");
        register();
      } else {
        LOG.warn("heartbeat failed: {}", ar.cause().getMessage());
        schedule(Math.min(intervalMs, 5000), this::beat);
      }
    });
  }

  private void schedule(long ms, Runnable r) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setTimer(Math.max(1, ms), id -> {
      timer = -1;
      r.run();
    });
  }

  /** Sends one heartbeat now (after a task finished, so the manager sees the freed slot sooner). */
  public void now() {
    if (state.isRegistered()) {
      beat();
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }
}
