package io.heady.agent.link;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The agent's operations on the manager. Failures are {@link LinkException}s carrying the manager's status
 * and error code, whatever the transport.
 */
public interface ManagerLink extends io.heady.common.node.ReportChannel {
  Future<JsonObject> register(JsonObject registration);

  Future<JsonObject> heartbeat(JsonObject heartbeat);

  /** A {@link io.heady.common.protocol.Report}: answered with {@code {results: [...]}}, one per result. */
  @Override
  Future<JsonObject> report(JsonObject report);

  /** The node leaves on purpose (graceful shutdown). */
  Future<JsonObject> deregister(JsonObject node);

  /** Which transport this is ({@code eventbus} or {@code http}). */
  String transport();
}
