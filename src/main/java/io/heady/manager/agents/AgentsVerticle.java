package io.heady.manager.agents;

import io.heady.common.identity.Seal;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Fields;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.scheduler.ClusterService;
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
 * transport. An event-bus node that is alive (it heartbeats) but that the bus cannot reach (its subscription
 * was removed from the cluster's map, or redirected to a member without a certificate) is reached through its
 * HTTP API instead, {@code node.bus_unreachable} is published, and the node is asked at its next heartbeat to
 * subscribe again: tampering with the map delays a dispatch at worst, and is not the node's fault.
 */
public final class AgentsVerticle extends VerticleBase implements SchedulerVerticle.Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(AgentsVerticle.class);
  private final ClusterService cluster;
  private final Seal seal;
  private final LocalTransport local;
  private final long probeMs;
  private final long requestTimeoutMs;
  private final Clock clock;
  private final Duration aliveWithin;
  private BusTransport bus;
  private HttpTransport http;
  private final Set<String> suspectProbes = new HashSet<>();
  private final Map<String, Long> busWarned = new ConcurrentHashMap<>();
  private final Set<String> resubscribe = ConcurrentHashMap.newKeySet();

  /**
   * @param aliveWithin a node that heartbeated this recently is alive: when the bus cannot reach it, its HTTP
   *     API is tried instead
   */
  public AgentsVerticle(ClusterService cluster, Seal seal, LocalTransport local, long probeMs,
      long requestTimeoutMs, Duration aliveWithin, Clock clock) {
    this.aliveWithin = aliveWithin;
    this.cluster = cluster;
    this.seal = seal;
    this.local = local;
    this.probeMs = probeMs;
    this.requestTimeoutMs = requestTimeoutMs;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    bus = new BusTransport(vertx.eventBus(), seal, requestTimeoutMs);
    http = new HttpTransport(WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) requestTimeoutMs)
        .setIdleTimeout(60).setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64)), seal,
        requestTimeoutMs);
    vertx.setPeriodic(probeMs, id -> probeAll());
    return Future.succeededFuture();
  }

  /** Whether the node should subscribe its addresses again (told in its heartbeat's answer, once). */
  public boolean takeResubscribe(String nodeId) {
    return resubscribe.remove(nodeId);
  }

  private AgentTransport transport(NodeRecord n) {
    if (n.cloud()) {
      return local;
    }
    return "http".equals(n.transport()) ? http : bus;
  }

  // ---- dispatch -----------------------------------------------------------------------------------------

  @Override
  public void dispatch(NodeRecord node, List<Dispatch> batch) {
    transport(node).dispatch(node, batch).onSuccess(answers -> {
      List<Dispatch> retry = new ArrayList<>();
      List<Dispatch> delivered = new ArrayList<>();
      for (Dispatch d : batch) {
        AgentTransport.Answer a = answers.get(d.taskId());
        if (a != null && !a.delivered() && a.status() < 0 && viaHttpInstead(node, a)) {
          retry.add(d);
        } else {
          settle(node.nodeId(), d, a, delivered);
        }
      }
      delivered(delivered);
      if (!retry.isEmpty()) {
        String why = answers.get(retry.get(0).taskId()).why();
        boolean missing = answers.get(retry.get(0).taskId()).busMissing();
        http.dispatch(node, retry).onSuccess(second -> {
          if (retry.stream().anyMatch(d -> second.get(d.taskId()) != null && second.get(d.taskId()).delivered())) {
            busUnreachable(node, why, missing);
          }
          List<Dispatch> took = new ArrayList<>();
          retry.forEach(d -> settle(node.nodeId(), d, second.get(d.taskId()), took));
          delivered(took);
        });
      }
    });
  }

  /**
   * Whether an undelivered event-bus dispatch goes through the node's HTTP API instead: the node heartbeated
   * lately, so it may be alive and the bus path, not the node, at fault.
   */
  private boolean viaHttpInstead(NodeRecord n, AgentTransport.Answer a) {
    return !n.cloud() && "eventbus".equals(n.transport()) && HttpTransport.reachable(n)
        && Duration.between(n.lastHeartbeat(), clock.instant()).compareTo(aliveWithin) <= 0;
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
    cluster.publish("node.bus_unreachable", new JsonObject().put("node_id", n.nodeId()).put("reason", why)
        .put("subscription_missing", missing));
  }

  /** The node took these: from now on it must list them (one call to the scheduler for the batch). */
  private void delivered(List<Dispatch> took) {
    if (!took.isEmpty()) {
      cluster.dispatchesDelivered(took);
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
    cluster.dispatchFailed(d.taskId(), d.leaseId(), why, kind);
  }

  // ---- cancel, logs -------------------------------------------------------------------------------------

  @Override
  public void cancel(NodeRecord node, String taskId, String leaseId) {
    transport(node).cancel(node, taskId, leaseId).recover(e -> "eventbus".equals(node.transport())
        && HttpTransport.reachable(node) ? http.cancel(node, taskId, leaseId) : Future.failedFuture(e))
        .onFailure(e -> LOG.info("cancel of {} on {} not delivered: {}", taskId, node.nodeId(), e.getMessage()));
  }

  @Override
  public Future<JsonObject> fetchLog(NodeRecord node, String taskId, long offset, int max) {
    return transport(node).log(node, taskId, offset, max);
  }

  // ---- probes -------------------------------------------------------------------------------------------

  /** Active health probes of every node that should be alive (not the local executor). */
  private void probeAll() {
    cluster.probeTargets().onSuccess(nodes -> nodes.forEach(this::probeOnce));
  }

  /**
   * Probes a suspect node soon, and again after a pause that doubles (from 500 ms up to the probe interval)
   * while it stays suspect: it gets work back as soon as it answers, and a dead one is not hammered.
   */
  @Override
  public void probe(NodeRecord node) {
    if (node.cloud() || !suspectProbes.add(node.nodeId())) {
      return; // a probe loop for it runs already
    }
    probeLoop(node.nodeId(), 500);
  }

  private void probeLoop(String nodeId, long delayMs) {
    vertx.setTimer(delayMs, t -> cluster.nodeRecord(nodeId).onComplete(ar -> {
      NodeRecord n = ar.succeeded() ? ar.result() : null;
      if (n == null || (n.status() != NodeStatus.SUSPECT && !n.fullClaimed())) {
        suspectProbes.remove(nodeId);
        return;
      }
      probeOnce(n).onComplete(done -> {
        if (done.succeeded()) {
          suspectProbes.remove(nodeId);
        } else {
          probeLoop(nodeId, Math.min(probeMs, delayMs * 2));
        }
      });
    }));
  }

  /** One probe (through HTTP when the bus fails a node that has an API URL); the answer goes to the scheduler. */
  private Future<JsonObject> probeOnce(NodeRecord n) {
    Future<JsonObject> f = transport(n).health(n).recover(e -> "eventbus".equals(n.transport())
        && HttpTransport.reachable(n) ? http.health(n) : Future.failedFuture(e));
    String id = n.nodeId();
    return f.andThen(ar -> {
      if (ar.succeeded()) {
        cluster.probeAnswered(id, listed(ar.result()));
      } else {
        cluster.probeFailed(id);
      }
    });
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
