package io.heady.manager.api;

import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.manager.scheduler.ClusterService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Node routes for people and programs: list and read (viewer), drain (operator), reinstate and delete
 * (admin); cluster state and workers (viewer). Every {@code :id} is a node id or name ({@link NodeRefs}).
 */
final class NodeRoutes {
  private final ClusterService cluster;
  private final io.heady.manager.store.ClusterStore store;
  private final NodeRefs refs;

  private final java.util.function.Supplier<java.util.List<JsonObject>> pending;

  /** @param pending nodes that enrolled and wait for an operator's approval ({@code --approve-nodes}) */
  NodeRoutes(ClusterService cluster, io.heady.manager.store.ClusterStore store,
      java.util.function.Supplier<java.util.List<JsonObject>> pending, NodeRefs refs) {
    this.cluster = cluster;
    this.store = store;
    this.pending = pending;
    this.refs = refs;
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
      String ref = NodeRefs.ref(rc);
      // why: one read resolves and answers, so a standby (whose scheduler holds nothing) answers from its store
      Replies.from(rc, 200, refs.registered().map(nodes -> {
        java.util.List<JsonObject> all = new java.util.ArrayList<>(nodes);
        all.addAll(pending.get());
        String id = io.heady.manager.node.NodeResolver.resolveDocs(ref, all).orThrow();
        return all.stream().filter(n -> id.equals(n.getString("node_id"))).findFirst().orElseThrow();
      }));
    });
    r.admin("DELETE", "/api/cluster/nodes/:id", rc -> {
      String ref = NodeRefs.ref(rc);
      Replies.from(rc, 200, refs.id(ref).compose(cluster::deleteNode));
    });
    r.operator("POST", "/api/cluster/nodes/:id/drain", rc -> {
      String ref = NodeRefs.ref(rc);
      JsonObject b = rc.body() == null || rc.body().length() == 0 ? new JsonObject() : Replies.body(rc);
      boolean on = Fields.optBool(b, "enabled", true);
      Replies.from(rc, 200, refs.id(ref).compose(id -> cluster.drain(id, on)));
    });
    r.admin("POST", "/api/cluster/nodes/:id/reinstate", rc -> {
      String ref = NodeRefs.ref(rc);
      Replies.from(rc, 200, refs.id(ref).compose(cluster::reinstate));
    });
  }
}
