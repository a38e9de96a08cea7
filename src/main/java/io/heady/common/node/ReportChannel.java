package io.heady.common.node;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where a node's {@link Reports} go: the manager, reached however this executor reaches it (the agent's link,
 * the local executor's direct call).
 */
@FunctionalInterface
public interface ReportChannel {
  /**
   * Sends one {@link io.heady.common.protocol.Report} as JSON; answered with {@code {results: [...]}}, one item
   * per result. A failed future means the report was not taken as a whole (it is sent again).
   */
  Future<JsonObject> report(JsonObject report);
}
