package io.heady.manager.scheduler;

import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.json.JsonObject;

/** The data every {@code node.*} and {@code task.*} event starts from, so listeners can rely on its fields. */
final class Events {
  private Events() {}

  static JsonObject node(NodeRecord n) {
    return new JsonObject().put("node_id", n.nodeId()).put("name", n.name()).put("status", n.status().wire())
        .put("tier", n.tier().name());
  }

  static JsonObject task(TaskRecord t) {
    return new JsonObject().put("task_id", t.id()).put("status", t.state().wire()).put("type", t.spec().type())
        .put("priority", t.priority().name()).put("node_id", t.nodeId());
  }
}
