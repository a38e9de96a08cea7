package io.heady.manager.scheduler;

import io.heady.manager.placement.Placement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What a task keeps of its placement: the whole explanation on small clusters, a digest on large ones. */
final class Explanations {
  static final int FULL_UP_TO = 16;

  private Explanations() {}

  static JsonArray compact(Placement p, int nodeCount) {
    if (nodeCount <= FULL_UP_TO) {
      return p.explain();
    }
    JsonArray out = new JsonArray();
    JsonObject rejected = new JsonObject();
    for (Object o : p.explain()) {
      JsonObject e = (JsonObject) o;
      if (e.getBoolean("chosen", false)) {
        out.add(e);
      } else if (!e.getBoolean("eligible")) {
        String check = e.getString("failed_check");
        rejected.put(check, rejected.getInteger(check, 0) + 1);
      }
    }
    out.add(new JsonObject().put("rejected_by_check", rejected));
    return out;
  }
}
