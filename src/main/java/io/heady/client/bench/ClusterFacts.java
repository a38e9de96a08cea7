package io.heady.client.bench;

import io.vertx.core.json.JsonObject;

/**
 * What a running cluster says of itself ({@code GET /api/cluster/state}) for a bench result: its nodes, task slots
 * and store. A figure the cluster does not report is {@code "unknown"}, never made up.
 *
 * @param nodes nodes registered (the manager's own executor counts)
 * @param slots task slots of the nodes that take work
 * @param store the store's kind ({@code memory}, {@code redis}) or {@code unknown}
 * @param fsync Redis's {@code appendfsync}, {@code none} for a store that keeps nothing, or {@code unknown}
 */
record ClusterFacts(int nodes, int slots, String store, String fsync) {
  static final String UNKNOWN = "unknown";

  static ClusterFacts of(JsonObject state) {
    JsonObject s = state == null ? new JsonObject() : state;
    JsonObject store = s.getJsonObject("store", new JsonObject());
    String kind = store.getString("kind", UNKNOWN);
    String fsync = store.getString("fsync");
    if (fsync == null) {
      fsync = Boolean.FALSE.equals(store.getBoolean("durable")) ? "none" : UNKNOWN;
    }
    return new ClusterFacts(s.getJsonObject("nodes", new JsonObject()).getInteger("total", 0),
        s.getJsonObject("compute_capacity", new JsonObject()).getInteger("slots_total", 0), kind, fsync);
  }
}
