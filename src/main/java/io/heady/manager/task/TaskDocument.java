package io.heady.manager.task;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;

/**
 * A {@link TaskRecord}'s stored form: the document the store keeps and the API shows, and the record rebuilt
 * from it after a restart. Kept apart from the record so the record holds behaviour and this holds the schema.
 */
final class TaskDocument {
  private TaskDocument() {}

  /** The record as a document. */
  static JsonObject toJson(TaskRecord t) {
    Attempt last = t.attempts.isEmpty() ? null : t.attempts.get(t.attempts.size() - 1);
    JsonArray at = new JsonArray();
    t.attempts.forEach(a -> at.add(a.toJson()));
    return new JsonObject()
        .put("task_id", t.id)
        .put("dag_id", t.dagId)
        .put("type", t.spec.type())
        .put("priority", t.priority.name())
        .put("status", t.state.wire())
        .put("command", t.spec.command())
        .put("argv", t.spec.argv().isEmpty() ? null : new JsonArray(new ArrayList<>(t.spec.argv())))
        .put("node_id", last == null ? null : last.nodeId)
        .put("node_name", t.nodeName)
        .put("node_tier", t.nodeTier)
        .put("lease_id", last == null ? null : last.leaseId)
        .put("attempt", t.attempts.size())
        .put("exit_code", t.exitCode)
        .put("duration_ms", t.durationMs())
        .put("result", new JsonObject().put("stdout", t.stdout).put("stderr", t.stderr)
            .put("truncated", t.outputTruncated))
        .put("reason", t.reason)
        .put("limits", t.limits.toJson())
        // why: the latest attempt's accounting is the task's at a glance; every attempt keeps its own
        .put("usage", last == null || !last.usage().known() ? null : last.usage().toJson())
        .put("enforcement", last == null || last.enforcement() == null ? null : last.enforcement().toJson())
        .put("depends_on", new JsonArray(new ArrayList<>(t.spec.dependsOn())))
        .put("critical", t.critical)
        .put("created_at", t.createdAt.toString())
        .put("queued_at", t.queuedAt == null ? null : t.queuedAt.toString())
        .put("started_at", t.startedAt == null ? null : t.startedAt.toString())
        .put("finished_at", t.finishedAt == null ? null : t.finishedAt.toString())
        .put("updated_at", t.updatedAt.toString())
        .put("not_before", t.notBefore == null ? null : t.notBefore.toString())
        .put("task_failures", t.taskFailures)
        .put("infra_requeues", t.infraRequeues)
        .put("stagnations", t.stagnations)
        .put("output_bytes", t.meter.outputBytes)
        .put("cpu_ms", t.meter.cpuMs < 0 ? null : t.meter.cpuMs)
        .put("io_bytes", t.meter.ioBytes < 0 ? null : t.meter.ioBytes)
        .put("progress_reports", t.meter.reports)
        .put("progress_note", t.meter.note)
        .put("stagnant_since", t.stagnantSince == null ? null : t.stagnantSince.toString())
        .put("waiting_reason", t.unplaceable)
        .put("unplaceable", t.unplaceable != null)
        .put("last_progress_at", t.meter.lastProgressAt == null ? null : t.meter.lastProgressAt.toString())
        .put("attempts", at)
        .put("explain", t.explain)
        .put("history", t.history.copy())
        .put("spec", t.spec.toJson())
        .put("seq", t.seq);
  }

  /** Rebuilds a record from {@link #toJson} (store recovery). */
  static TaskRecord fromJson(JsonObject j) {
    TaskSpec spec = TaskSpec.fromJson(j.getJsonObject("spec"));
    TaskRecord t = new TaskRecord(j.getString("task_id"), spec, j.getLong("seq"), j.getString("dag_id"),
        Instant.parse(j.getString("created_at")));
    t.priority = Priority.parse(j.getString("priority"));
    t.state = TaskState.fromWire(j.getString("status"));
    t.updatedAt = Instant.parse(j.getString("updated_at"));
    t.queuedAt = Attempt.parse(j.getString("queued_at"));
    t.startedAt = Attempt.parse(j.getString("started_at"));
    t.finishedAt = Attempt.parse(j.getString("finished_at"));
    t.notBefore = Attempt.parse(j.getString("not_before"));
    t.taskFailures = j.getInteger("task_failures", 0);
    t.infraRequeues = j.getInteger("infra_requeues", 0);
    t.stagnations = j.getInteger("stagnations", 0);
    t.meter.outputBytes = j.getLong("output_bytes", 0L);
    t.meter.cpuMs = j.getValue("cpu_ms") instanceof Number n ? n.longValue() : -1;
    t.meter.ioBytes = j.getValue("io_bytes") instanceof Number n ? n.longValue() : -1;
    t.meter.reports = j.getLong("progress_reports", 0L);
    t.meter.note = j.getString("progress_note");
    t.stagnantSince = Attempt.parse(j.getString("stagnant_since"));
    t.unplaceable = j.getBoolean("unplaceable", false) ? j.getString("waiting_reason") : null;
    t.meter.lastProgressAt = Attempt.parse(j.getString("last_progress_at"));
    t.exitCode = j.getInteger("exit_code");
    Long d = j.getLong("duration_ms");
    t.durationMs = d == null ? 0 : d;
    JsonObject r = j.getJsonObject("result", new JsonObject());
    t.stdout = r.getString("stdout");
    t.stderr = r.getString("stderr");
    t.outputTruncated = r.getBoolean("truncated", false);
    t.reason = j.getString("reason");
    t.limits = Limits.fromJson(j, "limits");
    t.nodeName = j.getString("node_name");
    t.nodeTier = j.getString("node_tier");
    t.explain = j.getJsonArray("explain");
    t.critical = j.getBoolean("critical", false);
    j.getJsonArray("attempts", new JsonArray()).forEach(o -> t.attempts.add(Attempt.fromJson((JsonObject) o)));
    j.getJsonArray("history", new JsonArray()).forEach(t.history::add);
    return t;
  }
}
