package io.heady.manager.scheduler;

import io.heady.common.protocol.TaskSpec;
import io.heady.manager.placement.EffectiveLimits;
import io.heady.manager.placement.Policy;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated submission whose new tasks exist, in their first state, but are not yet the scheduler's: the
 * caller writes {@link #documents()} to the store and then commits it ({@link Scheduler#commit}), so a
 * submission the store refused leaves nothing behind.
 */
public final class Prepared {
  final List<Scheduler.Submitted> out = new ArrayList<>();
  final List<TaskRecord> fresh = new ArrayList<>();
  final String dagId;
  final List<String> criticalPath;

  private Prepared(String dagId, List<String> criticalPath) {
    this.dagId = dagId;
    this.criticalPath = criticalPath;
  }

  /** Validates a submission ({@link SubmissionCheck}) and builds its new tasks, changing nothing yet. */
  static Prepared of(List<TaskSpec> specs, boolean batch, Policy policy, TaskBook tasks, IdSource ids,
      Instant now) {
    SubmissionCheck s = new SubmissionCheck(specs, batch, policy, tasks, ids);
    Prepared p = new Prepared(s.isDag() ? ids.dagId() : null, s.criticalPath());
    Set<String> critical = new HashSet<>(p.criticalPath);
    Map<String, TaskRecord> batchIds = new HashMap<>();
    for (TaskSpec spec : specs) {
      TaskRecord existing = spec.id() == null ? null : tasks.get(spec.id());
      if (existing != null) {
        p.out.add(new Scheduler.Submitted(existing, false));
        continue;
      }
      String id = s.idOf(spec);
      TaskRecord t = new TaskRecord(id, spec, tasks.nextSeq(), p.dagId, now);
      t.limits(EffectiveLimits.of(spec, policy.type(spec.type())).limits());
      t.critical(critical.contains(id));
      batchIds.put(id, t);
      p.fresh.add(t);
      p.out.add(new Scheduler.Submitted(t, true));
    }
    for (TaskRecord t : p.fresh) {
      boolean waits = false;
      for (String d : t.spec().dependsOn()) {
        TaskRecord dep = batchIds.containsKey(d) ? batchIds.get(d) : tasks.get(d);
        waits |= batchIds.containsKey(d) || dep.state() != TaskState.SUCCEEDED;
      }
      t.start(waits ? TaskState.WAITING : TaskState.QUEUED, now);
    }
    return p;
  }

  /** The new tasks as the store keeps them. */
  public List<JsonObject> documents() {
    List<JsonObject> docs = new ArrayList<>(fresh.size());
    fresh.forEach(t -> docs.add(t.toJson()));
    return docs;
  }

  /** Whether every task of it exists already (an idempotent repeat): nothing to write. */
  public boolean createsNothing() {
    return fresh.isEmpty();
  }

  /** Each task of the submission, and whether it is new. */
  public List<Scheduler.Submitted> existing() {
    return out;
  }
}
