package io.heady.manager.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Who waits on whom. Plain graph logic: cycle detection that names the cycle, the critical path by
 * estimated duration, and the index from a task to the tasks that depend on it.
 */
public final class DagIndex {
  private final Map<String, List<String>> dependents = new HashMap<>();

  /** Records that {@code task} waits on each of {@code dependsOn}; linking the same edge again changes nothing. */
  public void link(String task, List<String> dependsOn) {
    for (String d : dependsOn) {
      List<String> waiting = dependents.computeIfAbsent(d, k -> new ArrayList<>());
      // why: a dependent listed twice would count one success twice and run before its other dependencies
      if (!waiting.contains(task)) {
        waiting.add(task);
      }
    }
  }

  public List<String> dependents(String task) {
    return dependents.getOrDefault(task, List.of());
  }

  public void forget(String task) {
    dependents.remove(task);
  }

  /**
   * A cycle in the batch's edges (task → its dependencies), as {@code [a, b, c, a]}, or an empty list.
   * Only edges between tasks of the batch matter: existing tasks cannot depend on new ones.
   */
  public static List<String> findCycle(Map<String, List<String>> edges) {
    Map<String, Integer> color = new HashMap<>(); // 1 on the stack, 2 done
    for (String start : edges.keySet()) {
      if (color.containsKey(start)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<Integer> next = new ArrayDeque<>();
      path.push(start);
      next.push(0);
      color.put(start, 1);
      while (!path.isEmpty()) {
        String node = path.peek();
        int i = next.pop();
        List<String> out = edges.getOrDefault(node, List.of());
        if (i < out.size()) {
          next.push(i + 1);
          String d = out.get(i);
          if (!edges.containsKey(d)) {
            continue;
          }
          Integer c = color.get(d);
          if (c == null) {
            color.put(d, 1);
            path.push(d);
            next.push(0);
          } else if (c == 1) {
            List<String> cycle = new ArrayList<>();
            List<String> stack = new ArrayList<>(path);
            java.util.Collections.reverse(stack);
            cycle.addAll(stack.subList(stack.indexOf(d), stack.size()));
            cycle.add(d);
            return cycle;
          }
        } else {
          color.put(node, 2);
          path.pop();
        }
      }
    }
    return List.of();
  }

  /**
   * The longest chain of the batch by summed duration (ties to the first found), as task ids from the
   * first to run to the last. Edges are task → its dependencies, limited to the batch.
   */
  public static List<String> criticalPath(Map<String, List<String>> edges, ToLongFunction<String> duration) {
    Map<String, Long> finish = new LinkedHashMap<>();
    Map<String, String> via = new HashMap<>();
    Set<String> visiting = new HashSet<>();
    for (String t : edges.keySet()) {
      finishTime(t, edges, duration, finish, via, visiting);
    }
    String end = null;
    long best = -1;
    for (var e : finish.entrySet()) {
      if (e.getValue() > best) {
        best = e.getValue();
        end = e.getKey();
      }
    }
    List<String> path = new ArrayList<>();
    for (String t = end; t != null; t = via.get(t)) {
      path.add(0, t);
    }
    return path;
  }

  /**
   * Sets the finish time of {@code root} and of every task it waits for (its longest chain of durations), and
   * through {@code via} the dependency that chain runs through. Depth-first with a stack of its own, not the
   * thread's: a chain as long as the largest DAG (--max-dag-tasks) must not overflow it.
   */
  private static void finishTime(String root, Map<String, List<String>> edges, ToLongFunction<String> duration,
      Map<String, Long> finish, Map<String, String> via, Set<String> visiting) {
    if (finish.containsKey(root)) {
      return;
    }
    Deque<String> stack = new ArrayDeque<>();
    Deque<Integer> next = new ArrayDeque<>();
    stack.push(root);
    next.push(0);
    visiting.add(root);
    while (!stack.isEmpty()) {
      String t = stack.peek();
      int i = next.pop();
      List<String> deps = edges.getOrDefault(t, List.of());
      String down = null;
      while (i < deps.size() && down == null) {
        String d = deps.get(i++);
        if (edges.containsKey(d) && !finish.containsKey(d)) {
          if (!visiting.add(d)) {
            throw new IllegalStateException("cycle through " + d);
          }
          down = d;
        }
      }
      if (down != null) {
        next.push(i);
        stack.push(down);
        next.push(0);
        continue;
      }
      long start = 0;
      for (String d : deps) {
        Long f = edges.containsKey(d) ? finish.get(d) : null;
        if (f != null && f > start) {
          start = f;
          via.put(t, d);
        }
      }
      visiting.remove(t);
      stack.pop();
      finish.put(t, start + Math.max(1, duration.applyAsLong(t)));
    }
  }
}
