package io.heady.manager.agents;

import io.heady.common.protocol.Dispatch;
import io.heady.manager.node.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event-bus agents: the bus first, the node's HTTP API when the bus cannot reach it. Every event-bus agent names
 * its node API's URL, so an agent that is alive (it heartbeated lately) but that the bus cannot reach (its
 * subscription was removed from the cluster's map, or redirected to a member without a certificate) still gets
 * its dispatches; tampering with the map delays a dispatch at worst, and is not the node's fault. Cancels and
 * probes try HTTP whenever the bus fails; log reads use the bus alone.
 */
final class BusFirstTransport implements AgentTransport {
  /** Told when a dispatch the bus could not bring reached the node over HTTP. */
  interface Detour {
    /** @param missing the bus knows no handler for the node (its subscription is gone) */
    void busUnreachable(NodeRecord node, String why, boolean missing);
  }

  private final AgentTransport bus;
  private final HttpTransport http;
  private final Clock clock;
  private final Duration aliveWithin;
  private final Detour detour;

  /**
   * @param aliveWithin a node that heartbeated this recently is alive: an undelivered dispatch is tried over
   *     its HTTP API
   */
  BusFirstTransport(AgentTransport bus, HttpTransport http, Clock clock, Duration aliveWithin, Detour detour) {
    this.bus = bus;
    this.http = http;
    this.clock = clock;
    this.aliveWithin = aliveWithin;
    this.detour = detour;
  }

  @Override
  public Future<Map<String, Answer>> dispatch(NodeRecord node, List<Dispatch> batch) {
    return bus.dispatch(node, batch).compose(answers -> {
      List<Dispatch> retry = new ArrayList<>();
      for (Dispatch d : batch) {
        Answer a = answers.get(d.taskId());
        if (a != null && a.status() < 0 && alive(node)) {
          retry.add(d);
        }
      }
      if (retry.isEmpty()) {
        return Future.succeededFuture(answers);
      }
      Answer first = answers.get(retry.get(0).taskId());
      return http.dispatch(node, retry).map(second -> {
        if (retry.stream().anyMatch(d -> second.get(d.taskId()) != null && second.get(d.taskId()).delivered())) {
          detour.busUnreachable(node, first.why(), first.busMissing());
        }
        Map<String, Answer> out = new HashMap<>(answers);
        retry.forEach(d -> out.put(d.taskId(), second.get(d.taskId())));
        return out;
      });
    });
  }

  /**
   * Whether an undelivered dispatch goes through the node's HTTP API instead: the node heartbeated lately, so
   * it may be alive and the bus path, not the node, at fault.
   */
  private boolean alive(NodeRecord n) {
    return HttpTransport.reachable(n) && Duration.between(n.lastHeartbeat(), clock.instant()).compareTo(aliveWithin)
        <= 0;
  }

  @Override
  public Future<Void> cancel(NodeRecord node, String taskId, String leaseId) {
    return bus.cancel(node, taskId, leaseId).recover(e -> HttpTransport.reachable(node)
        ? http.cancel(node, taskId, leaseId) : Future.failedFuture(e));
  }

  @Override
  public Future<JsonObject> health(NodeRecord node) {
    return bus.health(node).recover(e -> HttpTransport.reachable(node) ? http.health(node) : Future.failedFuture(e));
  }

  @Override
  public Future<JsonObject> log(NodeRecord node, String taskId, long offset, int max) {
    return bus.log(node, taskId, offset, max);
  }
}
