package io.heady.manager.store;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A task document with the fields the stores index on, checked before anything of a batch is written. */
record TaskEntry(String id, long seq, String status, JsonObject doc) {
  /** Reads and checks a whole batch first, so a bad document fails the batch before any write. */
  static List<TaskEntry> of(List<JsonObject> docs) {
    List<TaskEntry> out = new ArrayList<>(docs.size());
    for (JsonObject d : docs) {
      if (d == null) {
        throw new IllegalArgumentException("a task document is null");
      }
      Object id = d.getValue("task_id");
      Object seq = d.getValue("seq");
      Object status = d.getValue("status");
      if (!(id instanceof String s) || s.isEmpty()) {
        throw new IllegalArgumentException("a task document has no task_id: " + brief(d));
      }
      if (!(seq instanceof Number n)) {
        throw new IllegalArgumentException("task " + id + " has no numeric seq");
      }
      if (!(status instanceof String st)) {
        throw new IllegalArgumentException("task " + id + " has no status");
      }
      out.add(new TaskEntry(s, n.longValue(), st, d));
    }
    return out;
  }

  boolean finished() {
    return StoreStates.finished(status);
  }

  private static String brief(JsonObject d) {
    String s = d.encode();
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
