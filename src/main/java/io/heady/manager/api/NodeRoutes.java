package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.scheduler.ClusterViews;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Node routes for people and programs: list and read (viewer), drain (operator), reinstate and delete
 * (admin); cluster state and workers (viewer).
 */
final class NodeRoutes {
  private final SchedulerVerticle scheduler;
  private final io.heady.manager.store.ClusterStore store;

  private final java.util.function.Supplier<java.util.List<JsonObject>> pending;

  /** @param pending nodes that enrolled and wait for an operator's approval ({@code --approve-nodes}) */
  NodeRoutes(SchedulerVerticle scheduler, io.heady.manager.store.ClusterStore store,
      java.util.function.Supplier<java.util.List<JsonObject>> pending) {
    this.scheduler = scheduler;
    this.store = store;
    this.pending = pending;
  }

  void mount(Routes r) {
    r.viewer("GET", "/api/cluster/state", rc -> Replies.from(rc, 200, scheduler.read(ClusterViews::state)));
    r.viewer("GET", "/api/cluster/workers", rc -> Replies.from(rc, 200, scheduler.read(ClusterViews::workers)));
    r.viewer("GET", "/api/cluster/nodes", rc -> Replies.from(rc, 200, scheduler.read(s -> {
      JsonArray out = new JsonArray();
      s.nodes().all().forEach(n -> out.add(n.toJson()));
      // why: a node waiting for approval is listed (status pending_approval) so an operator sees it to approve
      pending.get().forEach(out::add);
      return new JsonObject().put("nodes", out).put("count", out.size());
    }).recover(e -> Replies.toApi(e).code() != ErrorCode.NOT_LEADER ? io.vertx.core.Future.failedFuture(e)
        : store.nodes().map(list -> new JsonObject().put("nodes", new JsonArray(new java.util.ArrayList<>(list)))
            .put("count", list.size()).put("standby", true)))));
    r.viewer("GET", "/api/cluster/nodes/:id", rc -> {
      String id = nodeId(rc);
      Replies.from(rc, 200, scheduler.read(s -> {
        NodeRecord n = s.nodes().get(id);
        if (n == null) {
          return pending.get().stream().filter(p -> id.equals(p.getString("node_id"))).findFirst()
              .orElseThrow(() -> unknown(id));
        }
        return n.toJson();
      }));
    });
    r.admin("DELETE", "/api/cluster/nodes/:id", rc -> {
      String id = nodeId(rc);
      Replies.from(rc, 200, scheduler.change((s, now) -> s.deleteNode(id, now).toJson().put("deleted", true)));
    });
    r.operator("POST", "/api/cluster/nodes/:id/drain", rc -> {
      String id = nodeId(rc);
      JsonObject b = rc.body() == null || rc.body().length() == 0 ? new JsonObject() : Replies.body(rc);
      boolean on = Fields.optBool(b, "enabled", true);
      Replies.from(rc, 200, scheduler.change((s, now) -> s.drain(id, on, now).toJson()));
    });
    r.admin("POST", "/api/cluster/nodes/:id/reinstate", rc -> {
      String id = nodeId(rc);
      Replies.from(rc, 200, scheduler.change((s, now) -> s.reinstate(id, now).toJson()));
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
