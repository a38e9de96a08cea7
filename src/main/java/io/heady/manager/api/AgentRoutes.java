package io.heady.manager.api;

import io.heady.common.identity.Seal;
import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.Report;
import io.heady.common.protocol.SignedBus;
import io.heady.manager.scheduler.ClusterService;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The agent protocol's entry on the manager, over HTTP and over the event bus: registration, heartbeats,
 * deregistration, results, reports and progress. Each needs the calling node's own credential (its sealed
 * request or message) and a node speaks only for itself: what it sends about another node is refused (403),
 * counted nowhere. Both transports hand the same decoded message to the same {@link ClusterService} method.
 */
public final class AgentRoutes {
  private final ClusterService cluster;
  private final Supplier<JsonObject> joinInfo;

  AgentRoutes(ClusterService cluster, Supplier<JsonObject> joinInfo) {
    this.cluster = cluster;
    this.joinInfo = joinInfo;
  }

  void mount(Routes routes) {
    routes.node("GET", "/api/cluster/join", rc -> Replies.json(rc, 200, joinInfo.get()));
    routes.node("POST", "/api/cluster/nodes/register", rc -> {
      Registration reg = Registration.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, reg.nodeId());
      cluster.register(reg, false).onComplete(ar -> {
        if (ar.succeeded()) {
          boolean created = ar.result().getBoolean("created");
          Replies.json(rc, created ? 201 : 200, ar.result());
        } else {
          Replies.error(rc, ar.cause());
        }
      });
    });
    routes.node("POST", "/api/cluster/nodes/heartbeat", rc -> {
      Heartbeat hb = Heartbeat.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, hb.nodeId());
      Replies.from(rc, 200, cluster.heartbeat(hb));
    });
    routes.node("POST", "/api/cluster/nodes/deregister", rc -> {
      String id = Fields.reqId(Replies.body(rc), "node_id");
      NodeCredentials.sameNode(rc, id);
      Replies.from(rc, 200, cluster.deregister(id));
    });
    routes.node("POST", "/api/cluster/tasks/complete", rc -> {
      Completion c = Completion.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, c.nodeId());
      Replies.from(rc, 200, cluster.complete(c));
    });
    routes.node("POST", "/api/cluster/tasks/report", rc -> {
      Report report = Report.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, report.nodeId());
      Replies.from(rc, 200, cluster.report(report));
    });
    routes.node("POST", "/api/cluster/tasks/progress", rc -> {
      JsonObject b = Replies.body(rc);
      String t = Fields.reqId(b, "task_id");
      String l = Fields.reqId(b, "lease_id");
      String from = rc.get(Routes.NODE);
      Replies.from(rc, 200, cluster.started(from, t, l).map(v -> new JsonObject().put("accepted", true)));
    });
  }

  /**
   * Takes the agents' messages on the event bus, each sealed with the sender's pair key (see {@link Seal}).
   * Only the leader listens: call it on the scheduler's loop once this manager leads
   * ({@link ClusterService#whenLeading}).
   */
  public static void listen(EventBus bus, Seal seal, ClusterService cluster) {
    SignedBus.consumer(bus, false, Addresses.REGISTER, seal, (from, j) -> {
      Registration r = Registration.fromJson(j);
      return sameNode(from, r.nodeId()).compose(v -> cluster.register(r, false));
    });
    SignedBus.consumer(bus, false, Addresses.HEARTBEAT, seal, (from, j) -> {
      Heartbeat hb = Heartbeat.fromJson(j);
      return sameNode(from, hb.nodeId()).compose(v -> cluster.heartbeat(hb));
    });
    SignedBus.consumer(bus, false, Addresses.DEREGISTER, seal, (from, j) -> {
      String id = Fields.reqId(j, "node_id");
      return sameNode(from, id).compose(v -> cluster.deregister(id));
    });
    SignedBus.consumer(bus, false, Addresses.COMPLETE, seal, (from, j) -> {
      Completion c = Completion.fromJson(j);
      return sameNode(from, c.nodeId()).compose(v -> cluster.complete(c));
    });
    SignedBus.consumer(bus, false, Addresses.REPORT, seal, (from, j) -> {
      Report r = Report.fromJson(j);
      return sameNode(from, r.nodeId()).compose(v -> cluster.report(r));
    });
    SignedBus.consumer(bus, false, Addresses.PROGRESS, seal, (from, j) -> {
      String t = j.getString("task_id");
      String l = j.getString("lease_id");
      if (t != null && l != null) {
        cluster.started(from, t, l); // why: a progress note is answered at once; the start is written soon
      }
      return Future.succeededFuture();
    });
  }

  /** A node speaks only for itself: what it sends about another node is refused (403), counted nowhere. */
  static Future<Void> sameNode(String authenticated, String claimed) {
    if (authenticated != null && authenticated.equals(claimed)) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new ApiException(ErrorCode.FORBIDDEN, "node " + authenticated
        + " may only speak for itself, not for " + claimed, new JsonObject().put("node_id", claimed)));
  }
}
