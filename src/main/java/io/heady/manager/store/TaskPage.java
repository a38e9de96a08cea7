package io.heady.manager.store;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One page of a {@link TaskQuery}: the matching task documents in the query's order, and where to go on.
 *
 * @param next the cursor for the next page, or {@code null} when nothing more matches. A page can hold fewer
 *     than the limit and still have a next: the store stopped looking there (it reads a bounded number of
 *     documents per query), and every task before {@code next} was considered.
 */
public record TaskPage(List<JsonObject> tasks, TaskPosition next) {
  public TaskPage {
    tasks = List.copyOf(tasks);
  }

  public static TaskPage empty() {
    return new TaskPage(List.of(), null);
  }
}
