package io.heady.client.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts, from the manager's task records after a run, the tasks that did not end {@code succeeded}
 * ({@code lost}) and those with more than one succeeded attempt ({@code duplicates}: a result counted twice).
 * Revoked attempts whose late result was refused are counted apart ({@code lateResults}): they ran twice but
 * were recorded once, which is what leases are for.
 */
public final class Audit {
  /** The verdict over a set of task ids. */
  public record Verdict(int tasks, int succeeded, int lost, int duplicates, int lateResults, int missing) {
    public JsonObject toJson() {
      return new JsonObject().put("tasks", tasks).put("succeeded", succeeded).put("lost", lost)
          .put("duplicates", duplicates).put("late_results", lateResults).put("missing_records", missing);
    }
  }

  private final Map<String, JsonObject> records = new HashMap<>();

  /** Adds task records (full or brief: each needs task_id, status and attempts). */
  public void add(JsonArray tasks) {
    for (Object o : tasks) {
      if (o instanceof JsonObject t && t.getString("task_id") != null) {
        records.put(t.getString("task_id"), t);
      }
    }
  }

  public void add(JsonObject task) {
    if (task != null && task.getString("task_id") != null) {
      records.put(task.getString("task_id"), task);
    }
  }

  public boolean has(String id) {
    return records.containsKey(id);
  }

  /** The record of a task, or null when none was added. */
  public JsonObject record(String id) {
    return records.get(id);
  }

  /** Judges the given ids against the records added so far. */
  public Verdict judge(Collection<String> ids) {
    int ok = 0;
    int dup = 0;
    int late = 0;
    int missing = 0;
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (!seen.add(id)) {
        continue;
      }
      JsonObject t = records.get(id);
      if (t == null) {
        missing++;
        continue;
      }
      if ("succeeded".equals(t.getString("status"))) {
        ok++;
      }
      int wins = 0;
      JsonArray attempts = t.getJsonArray("attempts", new JsonArray());
      for (Object a : attempts) {
        if (a instanceof JsonObject at) {
          if ("succeeded".equals(at.getString("outcome"))) {
            wins++;
          }
          if (at.getValue("late_result") != null) {
            late++;
          }
        }
      }
      if (wins > 1) {
        dup++;
      }
    }
    return new Verdict(seen.size(), ok, seen.size() - ok, dup, late, missing);
  }

  /**
   * Reads every task record the manager lists ({@code GET /api/cluster/tasks}, 1000 a page), then each of
   * {@code ids} not listed (older finished tasks are served from the store), and judges {@code ids}.
   */
  public static Verdict of(AdminHttp admin, Collection<String> ids) {
    return fetch(admin, ids).judge(ids);
  }

  /**
   * Reads the records of {@code ids}: every task the manager lists, then each of {@code ids} not listed, one
   * by one (a manager that does not answer at once is asked again, a few times).
   */
  public static Audit fetch(AdminHttp admin, Collection<String> ids) {
    Audit a = new Audit();
    String cursor = "0";
    int pages = 0;
    while (cursor != null && pages++ < 10_000) {
      JsonObject page = admin.getJson("/api/cluster/tasks?limit=1000&cursor=" + cursor);
      a.add(page.getJsonArray("tasks", new JsonArray()));
      cursor = page.getString("next_cursor");
    }
    int fetched = 0;
    for (String id : ids) {
      if (!a.has(id) && fetched++ < 200_000) {
        AdminHttp.Res r = admin.get("/api/cluster/tasks/" + AdminHttp.q(id));
        for (int again = 0; again < 3 && (r.status() == 0 || r.status() >= 500); again++) {
          pause(500);
          r = admin.get("/api/cluster/tasks/" + AdminHttp.q(id));
        }
        if (r.ok()) {
          a.add(r.json());
        }
      }
    }
    return a;
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
