package io.heady.manager.scheduler;

import io.heady.manager.node.Reliability;
import io.heady.manager.placement.CheckFailure;
import io.heady.manager.placement.Location;
import io.heady.manager.placement.NodeVerdict;
import io.heady.manager.placement.TaskType;
import io.heady.manager.placement.TaskVerdicts;
import io.heady.manager.task.Attempt;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code GET /api/cluster/tasks/:id/explain}: a task's placement, told truthfully. A task not on a node (queued,
 * or waiting for its dependencies) is weighed now against every node by every placement check, with its real
 * requirements (its type's minimums, its {@code requires}, its pin, its priority): per node every check it fails
 * in the check's own words, or its score. A task that was placed says where and why from the placement recorded
 * when it was dispatched; it is never placed again to answer, and one that is not on a node is never said to be.
 */
final class TaskExplanation {
  private TaskExplanation() {}

  static JsonObject of(Scheduler s, TaskRecord t, Instant now) {
    TaskType type = s.policy().type(t.spec().type());
    JsonObject out = new JsonObject()
        .put("task_id", t.id())
        .put("status", t.state().wire())
        .put("type", t.spec().type())
        .put("priority", t.priority().name())
        .put("requirements", requirements(t, type));
    Attempt last = t.attempts().isEmpty() ? null : t.attempts().get(t.attempts().size() - 1);
    if (t.state() == TaskState.QUEUED || t.state() == TaskState.WAITING) {
      TaskVerdicts v = s.verdicts(t);
      String reason = s.waitingReason(t, now);
      out.put("placed", false)
          .put("evaluated_at", now.toString())
          .put("waiting_reason", reason)
          .put("summary", waitingSummary(t, v, reason))
          .put("fallback", v.fallback())
          .put("nodes", nodes(v));
      if (last != null) {
        out.put("last_placement", new JsonObject().put("attempt", last.number()).put("node_id", last.nodeId())
            .put("node_name", t.nodeName()).put("outcome", last.outcome()).put("explain", t.explain()));
      }
      return out;
    }
    out.put("placed", last != null);
    if (last == null) {
      return out.put("summary", "never placed: " + t.state().wire().replace('_', ' ') + " before it reached a node");
    }
    String where = t.nodeName() != null ? t.nodeName() : last.nodeId();
    String when = " (attempt " + last.number() + ", dispatched " + last.dispatchedAt() + ")";
    String summary = t.state().terminal()
        ? "ran on " + where + when + ", " + t.state().wire().replace('_', ' ')
        : "placed on " + where + when + ", " + t.state().wire();
    return out.put("summary", summary)
        .put("node_id", last.nodeId())
        .put("node_name", t.nodeName())
        .put("attempt", last.number())
        .put("explain", t.explain());
  }

  /** The one line: why it is not on a node, and whether any node could take it now. */
  private static String waitingSummary(TaskRecord t, TaskVerdicts v, String reason) {
    String now = v.best() == null ? v.reason()
        : v.best().node().name() + " could take it now (score " + Math.round(v.best().score()) + ")";
    if (t.state() == TaskState.WAITING) {
      return "not placed: " + reason + "; once they succeed: " + now;
    }
    if (reason != null) {
      return "not placed: " + reason;
    }
    return "not placed yet: " + now + "; the next dispatch pass places it";
  }

  /** What the checks weigh: the type's minimums and the task's own needs together, as placement sees them. */
  static JsonObject requirements(TaskRecord t, TaskType type) {
    var r = t.spec().requires();
    List<String> caps = new ArrayList<>(type.require());
    r.capabilities().stream().filter(c -> !caps.contains(c)).forEach(caps::add);
    return new JsonObject()
        .put("location", type.location().wire())
        .put("cores", Math.max(type.minCores(), r.cores()))
        .put("ram_gb", Math.max(type.minRamGb(), r.ramGb()))
        .put("gpu", type.location() == Location.GPU || r.gpu())
        .put("arch", r.arch())
        .put("capabilities", new JsonArray(caps))
        .put("labels", new JsonObject(new LinkedHashMap<>(r.labels())))
        .put("node", t.spec().node())
        .put("min_reliability", t.priority() == io.heady.common.protocol.Priority.P0 ? Reliability.P0_MIN : null);
  }

  private static JsonArray nodes(TaskVerdicts v) {
    JsonArray out = new JsonArray();
    for (NodeVerdict n : v.nodes()) {
      JsonObject e = new JsonObject()
          .put("node_id", n.node().nodeId())
          .put("name", n.node().name())
          .put("tier", n.node().tier().name())
          .put("status", n.node().status().wire())
          .put("eligible", n.feasible());
      if (n.feasible()) {
        e.put("score", Math.round(n.score() * 10) / 10.0)
            .put("breakdown", new JsonObject(new LinkedHashMap<>(n.breakdown())))
            .put("best", n == v.best() ? Boolean.TRUE : null)
            .put("avoided", n.avoided() ? Boolean.TRUE : null);
      } else {
        JsonArray failed = new JsonArray();
        for (CheckFailure f : n.failures()) {
          failed.add(new JsonObject().put("check", f.check()).put("reason", f.reason()).put("lasting", f.lasting()));
        }
        e.put("failed", failed);
      }
      out.add(e);
    }
    return out;
  }
}
