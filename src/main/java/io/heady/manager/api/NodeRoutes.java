package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.manager.scheduler.ClusterService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Node routes for people and programs: list and read (viewer), drain (operator), reinstate and delete
 * (admin); cluster state and workers (viewer).
 */
final class NodeRoutes {
  private final ClusterService cluster;
  private final io.heady.manager.store.ClusterStore store;

  private final java.util.function.Supplier<java.util.List<JsonObject>> pending;

  /** @param pending nodes that enrolled and wait for an operator's approval ({@code --approve-nodes}) */
  NodeRoutes(ClusterService cluster, io.heady.manager.store.ClusterStore store,
      java.util.function.Supplier<java.util.List<JsonObject>> pending) {
    this.cluster = cluster;
    this.store = store;
    this.pending = pending;
  }

  void mount(Routes r) {
    r.viewer("GET", "/api/cluster/state", rc -> Replies.from(rc, 200, cluster.state()
        .map(s -> s.put("store", store.durability()))));
    r.viewer("GET", "/api/cluster/workers", rc -> Replies.from(rc, 200, cluster.workers()));
    r.viewer("GET", "/api/cluster/nodes", rc -> Replies.from(rc, 200, cluster.nodes().map(nodes -> {
      JsonArray out = new JsonArray(new java.util.ArrayList<>(nodes));
      // why: a node waiting for approval is listed (status pending_approval) so an operator sees it to approve
      pending.get().forEach(out::add);
      return new JsonObject().put("nodes", out).put("count", out.size());
    }).recover(e -> Replies.toApi(e).code() != ErrorCode.NOT_LEADER ? io.vertx.core.Future.failedFuture(e)
        : store.nodes().map(list -> new JsonObject().put("nodes", new JsonArray(new java.util.ArrayList<>(list)))
            .put("count", list.size()).put("standby", true)))));
    r.viewer("GET", "/api/cluster/nodes/:id", rc -> {
      String id = nodeId(rc);
      Replies.from(rc, 200, cluster.node(id).map(n -> n != null ? n : pending.get().stream()
          .filter(p -> id.equals(p.getString("node_id"))).findFirst().orElseThrow(() -> unknown(id))));
    });
    r.admin("DELETE", "/api/cluster/nodes/:id", rc -> {
      String id = nodeId(rc);
      Replies.from(rc, 200, cluster.deleteNode(id));
    });
    r.operator("POST", "/api/cluster/nodes/:id/drain", rc -> {
      String id = nodeId(rc);
      JsonObject b = rc.body() == null || rc.body().length() == 0 ? new JsonObject() : Replies.body(rc);
      boolean on = Fields.optBool(b, "enabled", true);
      Replies.from(rc, 200, cluster.drain(id, on));
    });
    r.admin("POST", "/api/cluster/nodes/:id/reinstate", rc -> {
      String id = nodeId(rc);
      Replies.from(rc, 200, cluster.reinstate(id));
    });
  }

  static String nodeId(RoutingContext rc) {
    String id = rc.pathParam("id");
    if (id == null || !Fields.ID.matcher(id).matches()) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "node id must match [A-Za-z0-9._-]{1,64}",
          new JsonObject().put("field", "id"));
    }
    return id;
  }

  private static ApiException unknown(String id) {
    return new ApiException(ErrorCode.UNKNOWN_NODE, "no node with id " + id, new JsonObject().put("node_id", id));
  }
}
