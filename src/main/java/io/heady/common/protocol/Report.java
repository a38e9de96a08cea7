package io.heady.common.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Node → manager: a batch of news about its tasks, in one message: attempts that started running and
 * attempts that ended. The manager answers for each result on its own ({@link #itemAccepted} or
 * {@link #itemRefused}), so one stale result does not hold back the others.
 *
 * @param started attempts that started since the last report (an attempt whose result is in the same report
 *     need not be listed: its result says it ran)
 * @param results results, each as {@link Completion}
 */
public record Report(String nodeId, List<Started> started, List<Completion> results) {
  /** The most items a report may carry, started and results together. */
  public static final int MAX_ITEMS = 1000;

  /** One attempt that started running. */
  public record Started(String taskId, String leaseId) {}

  public Report {
    started = List.copyOf(started);
    results = List.copyOf(results);
  }

  public int size() {
    return started.size() + results.size();
  }

  public JsonObject toJson() {
    JsonArray s = new JsonArray(new ArrayList<>(started.size()));
    started.forEach(x -> s.add(new JsonObject().put("task_id", x.taskId()).put("lease_id", x.leaseId())));
    JsonArray r = new JsonArray(new ArrayList<>(results.size()));
    results.forEach(c -> r.add(c.toJson()));
    return new JsonObject().put("node_id", nodeId).put("started", s).put("results", r);
  }

  /** Reads and validates a report; a bad item is named by its place ({@code results[3].status}). */
  public static Report fromJson(JsonObject j) {
    String node = Fields.reqId(j, "node_id");
    JsonArray s = array(j, "started");
    JsonArray r = array(j, "results");
    if (s.size() + r.size() > MAX_ITEMS) {
      throw new InvalidInputException("results", "a report carries at most " + MAX_ITEMS
          + " items (started and results together); this one has " + (s.size() + r.size()));
    }
    List<Started> started = new ArrayList<>(s.size());
    for (int i = 0; i < s.size(); i++) {
      JsonObject item = item(s, "started", i);
      try {
        started.add(new Started(Fields.reqId(item, "task_id"), Fields.reqId(item, "lease_id")));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("started[" + i + "]." + e.field(), e.getMessage());
      }
    }
    List<Completion> results = new ArrayList<>(r.size());
    for (int i = 0; i < r.size(); i++) {
      Completion c;
      try {
        c = Completion.fromJson(item(r, "results", i));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("results[" + i + "]." + e.field(), e.getMessage());
      }
      if (!c.nodeId().equals(node)) {
        throw new InvalidInputException("results[" + i + "].node_id", "a report carries only its own node's "
            + "results: node_id is " + c.nodeId() + ", the report's is " + node);
      }
      results.add(c);
    }
    return new Report(node, started, results);
  }

  /** The answer for one result the manager took (or had already taken: a duplicate). */
  public static JsonObject itemAccepted(String taskId, boolean duplicate) {
    JsonObject o = new JsonObject().put("task_id", taskId).put("accepted", true);
    return duplicate ? o.put("duplicate", true) : o;
  }

  /** The answer for one result the manager refused, with the status and error the single endpoint gives. */
  public static JsonObject itemRefused(String taskId, ApiException e) {
    return new JsonObject().put("task_id", taskId).put("accepted", false).put("status", e.code().status())
        .put("error", e.toJson().getJsonObject("error"));
  }

  private static JsonArray array(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw new InvalidInputException(field, field + " must be an array");
    }
    return a;
  }

  private static JsonObject item(JsonArray a, String field, int i) {
    if (!(a.getValue(i) instanceof JsonObject o)) {
      throw new InvalidInputException(field + "[" + i + "]", field + "[" + i + "] must be an object");
    }
    return o;
  }
}
