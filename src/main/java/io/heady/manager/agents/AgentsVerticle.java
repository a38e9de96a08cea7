package io.heady.manager.agents;

import io.heady.common.identity.Seal;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Fields;
import io.heady.common.retry.Backoff;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.heady.manager.scheduler.Undelivered;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the scheduler's dispatches and cancels to nodes and probes them, each through its node's
 * transport ({@link #transport}: the one place that tells the kinds of node apart). An event-bus node that is
 * alive but that the bus cannot reach gets its dispatches through its HTTP API ({@link BusFirstTransport});
 * then {@code node.bus_unreachable} is published and the node is asked at its next heartbeat to subscribe
 * again.
 */
public final class AgentsVerticle extends VerticleBase implements SchedulerVerticle.Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(AgentsVerticle.class);
  private final SchedulerVerticle scheduler;
  private final Seal seal;
  private final LocalTransport local;
  private final long probeMs;
  private final long requestTimeoutMs;
  private final Clock clock;
  private final Duration aliveWithin;
  private AgentTransport busFirst;
  private AgentTransport http;
  private static final long FIRST_SUSPECT_PROBE_MS = 500;
  /** A suspect node is probed from 500 ms, doubling up to the probe interval. */
  private final Backoff suspectProbes;
  private final Set<String> probing = new HashSet<>();
  private final Map<String, Long> busWarned = new ConcurrentHashMap<>();
  private final Set<String> resubscribe = ConcurrentHashMap.newKeySet();

  /**
   * @param aliveWithin a node that heartbeated this recently is alive: when the bus cannot reach it, its HTTP
   *     API is tried instead
   */
  public AgentsVerticle(SchedulerVerticle scheduler, Seal seal, LocalTransport local, long probeMs,
      long requestTimeoutMs, Duration aliveWithin, Clock clock) {
    this.aliveWithin = aliveWithin;
    this.scheduler = scheduler;
    this.seal = seal;
    this.local = local;
    this.probeMs = probeMs;
    this.suspectProbes = Backoff.doubling(FIRST_SUSPECT_PROBE_MS, Math.max(FIRST_SUSPECT_PROBE_MS, probeMs));
    this.requestTimeoutMs = requestTimeoutMs;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    HttpTransport web = new HttpTransport(WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) requestTimeoutMs).setIdleTimeout(60).setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64)), seal, requestTimeoutMs);
    http = web;
    busFirst = new BusFirstTransport(new BusTransport(vertx.eventBus(), seal, requestTimeoutMs), web, clock,
        aliveWithin, this::busUnreachable);
    vertx.setPeriodic(probeMs, id -> probeAll());
    return Future.succeededFuture();
  }

  /** Whether the node should subscribe its addresses again (told in its heartbeat's answer, once). */
  public boolean takeResubscribe(String nodeId) {
    return resubscribe.remove(nodeId);
  }

  /** How a node is reached: the local executor directly, an http agent over HTTP, an event-bus agent bus first. */
  private AgentTransport transport(NodeRecord n) {
    if (n.cloud()) {
      return local;
    }
    return "http".equals(n.transport()) ? http : busFirst;
  }

  // ---- dispatch -----------------------------------------------------------------------------------------

  @Override
  public void dispatch(NodeRecord node, List<Dispatch> batch) {
    transport(node).dispatch(node, batch).onSuccess(answers -> {
      List<Dispatch> delivered = new ArrayList<>();
      for (Dispatch d : batch) {
        settle(node.nodeId(), d, answers.get(d.taskId()), delivered);
      }
      delivered(delivered);
    });
  }

  /** The node took over HTTP what the bus could not bring it: say so (once a minute), ask it to resubscribe. */
  private void busUnreachable(NodeRecord n, String why, boolean missing) {
    resubscribe.add(n.nodeId());
    long now = clock.millis();
    Long last = busWarned.get(n.nodeId());
    if (last != null && now - last < 60_000) {
      return;
    }
    busWarned.put(n.nodeId(), now);
    LOG.warn("node {} is alive but not reachable on the event bus ({}); reached it through its HTTP API and"
        + " asked it to subscribe again", n.nodeId(), why);
    scheduler.call((s, t) -> {
      s.publish("node.bus_unreachable", new JsonObject().put("node_id", n.nodeId()).put("reason", why)
          .put("subscription_missing", missing));
      return null;
    });
  }

  /** The node took these: from now on it must list them (one call to the scheduler for the batch). */
  private void delivered(List<Dispatch> took) {
    if (!took.isEmpty()) {
      scheduler.call((s, now) -> {
        s.dispatchesDelivered(took, now);
        return null;
      });
    }
  }

  /** What a node answered for one dispatch: accepted, or a reason it never started the task. */
  private void settle(String nodeId, Dispatch d, AgentTransport.Answer a, List<Dispatch> delivered) {
    if (a == null) {
      a = AgentTransport.Answer.unreached("no answer", false);
    }
    if (a.delivered()) {
      delivered.add(d);
      return;
    }
    Undelivered kind = Undelivered.of(a.status());
    String why = switch (kind) {
      case FULL -> "node " + nodeId + " refused: full";
      case CLOSING -> "node " + nodeId + " is shutting down";
      case DISK_FULL -> "node " + nodeId + " refused: disk_full (its disk is nearly full; it takes no new task"
          + " until it has room)";
      case UNREACHABLE -> "dispatch to " + nodeId + " failed: " + a.why();
      case REFUSED -> a.why();
    };
    LOG.info("dispatch of {} not delivered: {}", d.taskId(), why);
    scheduler.call((s, now) -> {
      s.dispatchFailed(d.taskId(), d.leaseId(), why, kind, now);
      return null;
    });
  }

  // ---- cancel, logs -------------------------------------------------------------------------------------

  @Override
  public void cancel(NodeRecord node, String taskId, String leaseId) {
    transport(node).cancel(node, taskId, leaseId).onFailure(e -> LOG.info("cancel of {} on {} not delivered: {}", taskId, node.nodeId(), e.getMessage()));
  }

  @Override
  public Future<JsonObject> fetchLog(NodeRecord node, String taskId, long offset, int max) {
    return transport(node).log(node, taskId, offset, max);
  }

  // ---- probes -------------------------------------------------------------------------------------------

  /** Active health probes of every node that should be alive (not the local executor). */
  private void probeAll() {
    scheduler.read(s -> {
      List<NodeRecord> out = new ArrayList<>();
      for (NodeRecord n : s.nodes().all()) {
        NodeStatus st = n.status();
        if (!n.cloud() && (st == NodeStatus.ACTIVE || st == NodeStatus.DRAINING || st == NodeStatus.UNHEALTHY
            || st == NodeStatus.PENDING || st == NodeStatus.SUSPECT)) {
          out.add(n);
        }
      }
      return out;
    }).onSuccess(nodes -> nodes.forEach(this::probeOnce));
  }

  /**
   * Probes a suspect node soon, and again after a pause that doubles (from 500 ms up to the probe interval)
   * while it stays suspect: it gets work back as soon as it answers, and a dead one is not hammered.
   */
  @Override
  public void probe(NodeRecord node) {
    if (node.cloud() || !probing.add(node.nodeId())) {
      return; // a probe loop for it runs already
    }
    probeLoop(node.nodeId(), suspectProbes.first());
  }

  private void probeLoop(String nodeId, long delayMs) {
    vertx.setTimer(delayMs, t -> scheduler.read(s -> s.nodes().get(nodeId)).onComplete(ar -> {
      NodeRecord n = ar.succeeded() ? ar.result() : null;
      if (n == null || (n.status() != NodeStatus.SUSPECT && !n.fullClaimed())) {
        probing.remove(nodeId);
        return;
      }
      probeOnce(n).onComplete(done -> {
        if (done.succeeded()) {
          probing.remove(nodeId);
        } else {
          probeLoop(nodeId, suspectProbes.next(delayMs));
        }
      });
    }));
  }

  /** One probe through the node's transport; the answer goes to the scheduler. */
  private Future<JsonObject> probeOnce(NodeRecord n) {
    Future<JsonObject> f = transport(n).health(n);
    String id = n.nodeId();
    return f.andThen(ar -> scheduler.call((s, now) -> {
      if (ar.succeeded()) {
        s.probeOk(id, listed(ar.result()), now);
      } else {
        s.probeFailed(id, now);
      }
      return null;
    }));
  }

  /** The task ids a node's health answer lists as held, or {@code null} when it does not say. */
  static List<String> listed(JsonObject health) {
    Object v = health == null ? null : health.getValue("running_task_ids");
    if (!(v instanceof JsonArray a) || a.size() > 4096) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size());
    for (Object o : a) {
      if (!(o instanceof String s) || !Fields.ID.matcher(s).matches()) {
        return null;
      }
      out.add(s);
    }
    return out;
  }
}
