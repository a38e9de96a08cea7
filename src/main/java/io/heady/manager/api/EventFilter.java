package io.heady.manager.api;

import io.heady.manager.scheduler.EventTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which event types a stream asked for ({@code ?types=task.succeeded,task.failed}): exact types and prefixes
 * ending in {@code *} ({@code task.*}); none asked: every type. Each one must name a known type (or a prefix of
 * one), so a misspelt type is refused rather than followed in silence.
 */
final class EventFilter {
  static final EventFilter ALL = new EventFilter(Set.of(), List.of());

  private final Set<String> exact;
  private final List<String> prefixes;

  private EventFilter(Set<String> exact, List<String> prefixes) {
    this.exact = exact;
    this.prefixes = prefixes;
  }

  /**
   * The filter a {@code types} parameter asks for (null or blank: every type).
   *
   * @throws IllegalArgumentException naming what is unknown and listing the known types
   */
  static EventFilter parse(String types) {
    if (types == null || types.isBlank()) {
      return ALL;
    }
    Set<String> exact = new LinkedHashSet<>();
    List<String> prefixes = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String raw : types.split(",")) {
      String t = raw.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (t.endsWith("*")) {
        String p = t.substring(0, t.length() - 1);
        if (EventTypes.known().stream().anyMatch(k -> k.startsWith(p))) {
          prefixes.add(p);
        } else {
          unknown.add(t);
        }
      } else if (EventTypes.known().contains(t)) {
        exact.add(t);
      } else {
        unknown.add(t);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown event type" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + "; known: " + String.join(", ", EventTypes.known())
          + " (or a prefix such as task.*)");
    }
    return exact.isEmpty() && prefixes.isEmpty() ? ALL : new EventFilter(Set.copyOf(exact), List.copyOf(prefixes));
  }

  /** Whether every type passes. */
  boolean all() {
    return exact.isEmpty() && prefixes.isEmpty();
  }

  boolean accepts(String type) {
    if (all() || exact.contains(type)) {
      return true;
    }
    for (String p : prefixes) {
      if (type.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
