package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.node.NodeResolver;
import io.heady.manager.scheduler.ClusterService;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A node as the routes' callers name it ({@code /api/cluster/nodes/:id}, the task list's {@code node}): an id or a
 * name, resolved by {@link NodeResolver}'s one rule among the registered nodes (the leader's, or a standby's
 * store) and the nodes waiting for approval.
 */
final class NodeRefs {
  /** The longest id or name a caller may give (a name is at most 128 characters). */
  static final int MAX_REF = 128;

  private final ClusterService cluster;
  private final ClusterStore store;
  private final Supplier<List<JsonObject>> pending;

  NodeRefs(ClusterService cluster, ClusterStore store, Supplier<List<JsonObject>> pending) {
    this.cluster = cluster;
    this.store = store;
    this.pending = pending;
  }

  /** The {@code :id} path parameter: a node id or name, checked (400 naming {@code id} when it is neither). */
  static String ref(RoutingContext rc) {
    return ref(rc.pathParam("id"), "id");
  }

  /** A node id or name given in {@code field}, checked: 1 to 128 characters, none of them control characters. */
  static String ref(String raw, String field) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_REF || raw.chars().anyMatch(Character::isISOControl)) {
      throw new ApiException(ErrorCode.INVALID_FIELD, field + " must be a node id or name (1 to " + MAX_REF
          + " characters, no control characters)", new JsonObject().put("field", field));
    }
    return raw;
  }

  /** The registered nodes' documents: the leader's memory, else (a standby) the store's. */
  Future<List<JsonObject>> registered() {
    return cluster.nodes().recover(e -> Replies.toApi(e).code() == ErrorCode.NOT_LEADER ? store.nodes()
        : Future.failedFuture(e));
  }

  /** What {@code ref} names among the registered nodes and those waiting for approval. */
  Future<NodeResolver.Resolution> resolve(String ref) {
    return registered().map(nodes -> {
      List<JsonObject> all = new ArrayList<>(nodes);
      all.addAll(pending.get());
      return NodeResolver.resolveDocs(ref, all);
    });
  }

  /** The id {@code ref} names, or the API's error (404 {@code UNKNOWN_NODE}, 409 {@code AMBIGUOUS_NODE}). */
  Future<String> id(String ref) {
    return resolve(ref).map(NodeResolver.Resolution::orThrow);
  }
}
