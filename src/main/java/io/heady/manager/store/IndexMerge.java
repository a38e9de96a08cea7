package io.heady.manager.store;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a store answers a {@link TaskQuery} from several indexes by position (one per status, or one for
 * several): each index is read in the page's order up to a window, the slices are merged, and only the
 * positions every index has fully covered are kept. What lies beyond the first index that stopped short is
 * left for the next page, so nothing is skipped, and a task found in two indexes (it moved between two
 * reads) is taken once.
 */
final class IndexMerge {
  /**
   * What one index gave.
   *
   * @param positions in the page's order
   * @param more whether the index may hold more beyond the last of them (it filled its window)
   */
  record Slice(List<TaskPosition> positions, boolean more) {}

  /**
   * The positions to read, in order, and how far they reach.
   *
   * @param bound the last position every index covered; {@code null} when every index was read to its end
   */
  record Candidates(List<TaskPosition> positions, TaskPosition bound) {}

  private IndexMerge() {}

  /** The positions of the page, at most {@code window} of them. */
  static Candidates merge(List<Slice> slices, boolean newestFirst, int window) {
    Comparator<TaskPosition> order = newestFirst ? Comparator.reverseOrder() : Comparator.naturalOrder();
    TaskPosition bound = null;
    List<TaskPosition> all = new ArrayList<>();
    for (Slice s : slices) {
      if (s.more() && !s.positions().isEmpty()) {
        TaskPosition last = s.positions().get(s.positions().size() - 1);
        bound = bound == null || order.compare(last, bound) < 0 ? last : bound;
      }
      all.addAll(s.positions());
    }
    all.sort(order);
    List<TaskPosition> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (TaskPosition p : all) {
      if (bound != null && order.compare(p, bound) > 0) {
        break;
      }
      if (!seen.add(p.id())) {
        continue;
      }
      if (out.size() == window) {
        bound = out.get(out.size() - 1);
        break;
      }
      out.add(p);
    }
    return new Candidates(out, bound);
  }

  /** Builds a page from the candidates' documents, offered in order: the matching ones, up to the limit. */
  static final class Collector {
    private final TaskQuery query;
    private final List<JsonObject> tasks = new ArrayList<>();
    private TaskPosition last;
    private boolean ended;

    Collector(TaskQuery query) {
      this.query = query;
    }

    /**
     * Offers the document at a position ({@code null}: it is gone); says whether the page is done (full, or
     * past the query's time window).
     */
    boolean offer(TaskPosition p, JsonObject doc) {
      return offer(p, doc != null && query.matches(doc) ? doc : null, doc == null ? null : TaskQuery.createdAt(doc));
    }

    /**
     * Offers a position whose document is known to match ({@code null}: it does not, or is gone) and its
     * submission time ({@code null}: unknown); says whether the page is done.
     */
    boolean offer(TaskPosition p, JsonObject matching, java.time.Instant createdAt) {
      if (query.pastWindow(createdAt)) {
        ended = true;
        return true;
      }
      if (matching != null) {
        tasks.add(matching);
        last = p;
      }
      return full();
    }

    boolean full() {
      return ended || tasks.size() >= query.limit();
    }

    /** The page, once the candidates are all offered or it is done; past the window nothing more follows. */
    TaskPage page(Candidates c) {
      if (ended) {
        return new TaskPage(tasks, null);
      }
      return new TaskPage(tasks, tasks.size() >= query.limit() ? last : c.bound());
    }
  }
}
