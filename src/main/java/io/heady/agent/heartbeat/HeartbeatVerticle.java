package io.heady.agent.heartbeat;

import io.heady.agent.AgentState;
import io.heady.agent.executor.ExecutorVerticle;
import io.heady.agent.link.LinkException;
import io.heady.agent.link.ManagerLink;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
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
  private final Runnable managerLost;
  private final long lostAfterMs;
  private long lastOkNanos = System.nanoTime();
  private long intervalMs;
  private long timer = -1;
  /** Registration retries: from 250 ms, doubling, at most 10 s apart. */
  private static final Backoff REGISTER_BACKOFF = Backoff.doubling(250, 10_000);
  private long registerBackoffMs = REGISTER_BACKOFF.first();
  private boolean registering;
  private boolean stopped;
  private final java.nio.file.Path statusFile;

  /**
   * @param managerLost called when the manager has not answered for {@code lostAfterMs} (event-bus agents
   *     then rebuild their cluster session); {@code null} for HTTP agents, which simply keep retrying
   */
  public HeartbeatVerticle(AgentState state, ManagerLink link, ExecutorVerticle executor, long intervalMs,
      Runnable managerLost, long lostAfterMs) {
    this(state, link, executor, intervalMs, managerLost, lostAfterMs, null);
  }

  /**
   * @param statusFile where the node's standing with the manager is written ({@code registered}, {@code
   *     status}, {@code tier}) for local tools (the installer waits on it); {@code null}: nowhere
   */
  public HeartbeatVerticle(AgentState state, ManagerLink link, ExecutorVerticle executor, long intervalMs,
      Runnable managerLost, long lostAfterMs, java.nio.file.Path statusFile) {
    this.statusFile = statusFile;
    this.managerLost = managerLost;
    this.lostAfterMs = lostAfterMs;
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
        lastOkNanos = System.nanoTime();
        registerBackoffMs = REGISTER_BACKOFF.first();
        // why: the prefetch first, so the slots' limit, once set, already finds the queue's bound
        executor.prefetch(r.getInteger("prefetch", 0));
        executor.limit(r.getInteger("max_concurrent", 1));
        intervalMs = Math.max(200, r.getLong("heartbeat_interval_sec", intervalMs / 1000) * 1000);
        state.registered(r.getString("tier"), r.getString("status"));
        writeStatus();
        LOG.info("registered as {} (tier {}, {} slots, heartbeat every {} s)", state.nodeId(), r.getString("tier"),
            r.getInteger("max_concurrent"), intervalMs / 1000);
        beat();
      } else {
        state.unregistered("registering");
        if (lost()) {
          return;
        }
        LOG.warn("registration failed: {}; retrying in {} ms", ar.cause().getMessage(), registerBackoffMs);
        schedule(registerBackoffMs, this::register);
        registerBackoffMs = REGISTER_BACKOFF.next(registerBackoffMs);
      }
    });
  }

  /** The node's standing, for local tools; written off the event loop, atomically. */
  private void writeStatus() {
    if (statusFile == null) {
      return;
    }
    JsonObject s = new JsonObject().put("node_id", state.nodeId()).put("registered", state.isRegistered())
        .put("status", state.status()).put("tier", state.tier())
        .put("refusing", state.refusing() == null ? null : state.refusing().toJson());
    vertx.executeBlocking(() -> {
      java.nio.file.Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
      java.nio.file.Files.writeString(tmp, s.encodePrettily());
      java.nio.file.Files.move(tmp, statusFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return null;
    }).onFailure(e -> LOG.debug("cannot write {}: {}", statusFile, e.getMessage()));
  }

  private void beat() {
    if (stopped) {
      return;
    }
    // why: measuring progress reads /proc and the tasks' progress files, which must not block the event loop
    vertx.executeBlocking(() -> executor.core().heartbeat(state.stats(), state.refusing())).onComplete(hb -> {
      if (stopped) {
        return;
      }
      send(hb.succeeded() ? hb.result() : new Heartbeat(state.nodeId(), executor.running(), executor.heldTaskIds(),
          state.stats(), Map.of(), state.refusing()));
    });
  }

  private void send(Heartbeat hb) {
    link.heartbeat(hb.toJson()).onComplete(ar -> {
      if (ar.succeeded()) {
        lastOkNanos = System.nanoTime();
        String status = ar.result() == null ? null : ar.result().getString("status");
        if (status != null && !status.equals(state.status())) {
          state.registered(state.tier(), status);
          writeStatus();
        }
        if (ar.result() != null && ar.result().getBoolean("resubscribe", false)) {
          LOG.warn("the manager could not reach this node on the event bus; subscribing its addresses again");
          executor.resubscribe();
        }
        schedule(intervalMs, this::beat);
      } else if (ar.cause() instanceof LinkException e && e.unknownNode()) {
        LOG.info("the manager does not know this node (it restarted?); registering again");
        state.unregistered("re-registering");
        register();
      } else {
        LOG.warn("heartbeat failed: {}", ar.cause().getMessage());
        if (ar.cause() instanceof LinkException le && le.status() != 0) {
          // the manager answered (it is there, just busy or without its store): not a lost manager
          lastOkNanos = System.nanoTime();
        }
        if (!lost()) {
          schedule(Math.min(intervalMs, 5000), this::beat);
        }
      }
    });
  }

  /** True (and the session is being replaced) when the manager has been silent too long. */
  private boolean lost() {
    if (managerLost != null && System.nanoTime() - lastOkNanos > lostAfterMs * 1_000_000L) {
      stopped = true;
      LOG.warn("no answer from the manager for {} s; rejoining the cluster", lostAfterMs / 1000);
      managerLost.run();
      return true;
    }
    return false;
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

  /**
   * {@link #now()} from any thread: the node's standing changed (its disk filled up or has room again), so the
   * manager hears it at once rather than at the next interval.
   */
  public void nowFromAnyThread() {
    if (context != null) {
      context.runOnContext(v -> {
        if (state.isRegistered()) {
          writeStatus();
        }
        now();
      });
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }
}
