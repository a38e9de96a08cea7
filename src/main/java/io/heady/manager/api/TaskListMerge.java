package io.heady.manager.api;

import io.heady.manager.store.TaskPosition;
import io.heady.manager.store.TaskQuery;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One page of a task list from two sources: the scheduler's memory (every unfinished task and the recent
 * finished ones, the truth for what it holds) and the store (the finished tasks memory let go). Each source
 * gives its own page for the same query; the merged page keeps only what both have fully covered, so the
 * next page (from {@code next}) neither repeats nor skips a task, however the two pages overlap.
 */
final class TaskListMerge {
  /** A task of one source's page and where it stands. */
  record Entry(TaskPosition at, JsonObject task) {}

  /**
   * The merged page.
   *
   * @param next where the next page starts, or {@code null} when neither source has more
   */
  record Page(List<JsonObject> tasks, TaskPosition next) {}

  private TaskListMerge() {}

  /**
   * Merges the two pages of one query.
   *
   * @param memory memory's page, in the query's order: at most {@code query.limit()}, and when shorter,
   *     every match memory holds beyond the cursor
   * @param store the store's page in the same order, without the tasks memory holds (memory decides those)
   * @param storeNext the store page's {@code next}: it has covered everything up to there
   */
  static Page merge(List<Entry> memory, List<Entry> store, TaskPosition storeNext, TaskQuery query) {
    Comparator<TaskPosition> order = query.newestFirst() ? Comparator.reverseOrder() : Comparator.naturalOrder();
    TaskPosition bound = memory.size() >= query.limit() ? memory.get(memory.size() - 1).at() : null;
    if (storeNext != null && (bound == null || order.compare(storeNext, bound) < 0)) {
      bound = storeNext;
    }
    List<Entry> all = new ArrayList<>(memory);
    all.addAll(store);
    all.sort(Comparator.comparing(Entry::at, order)); // stable: at one position memory's entry comes first
    List<JsonObject> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Entry e : all) {
      if (bound != null && order.compare(e.at(), bound) > 0) {
        break;
      }
      if (!seen.add(e.at().id())) {
        continue;
      }
      out.add(e.task());
      if (out.size() == query.limit()) {
        return new Page(out, e.at());
      }
    }
    return new Page(out, bound);
  }
}
