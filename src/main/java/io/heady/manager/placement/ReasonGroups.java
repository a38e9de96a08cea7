package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Nodes grouped by the check that turned them away, told in one bounded line:
 * {@code "3 nodes: draining; 2 nodes (mac, pc): needs 64 cores (has at most 16)"}. Groups come largest
 * first (ties in the placement's check order); a small group names its nodes; past {@value #MAX_GROUPS}
 * groups the rest are counted, and the line never passes {@value #MAX_CHARS} characters, whatever the
 * cluster's size or the number of reasons.
 */
public final class ReasonGroups {
  /** At most this many groups are spelled out; the others are counted. */
  public static final int MAX_GROUPS = 4;
  /** The line is cut (with an ellipsis) past this many characters. */
  public static final int MAX_CHARS = 320;
  /** A group of up to this many nodes names them. */
  static final int NAMED_UP_TO = 3;
  private static final int NAME_CHARS = 24;

  private record Group(int order, FeasibilityCheck check, List<NodeRecord> nodes) {}

  private final TreeMap<Integer, Group> groups = new TreeMap<>();
  private int count;

  /**
   * Counts a node under the check it fails.
   *
   * @param order the check's place in the placement's order (ties between groups of one size go by it)
   */
  public void add(int order, FeasibilityCheck check, NodeRecord node) {
    groups.computeIfAbsent(order, k -> new Group(order, check, new ArrayList<>())).nodes().add(node);
    count++;
  }

  /** How many nodes were counted. */
  public int nodes() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** The line: each group's size (and names, when small) and its check's summary for those nodes. */
  public String describe(PlacementRequest req, PlacementSettings settings) {
    if (count == 0) {
      return "no nodes are registered";
    }
    List<Group> sorted = new ArrayList<>(groups.values());
    sorted.sort(Comparator.comparingInt((Group g) -> -g.nodes().size()).thenComparingInt(Group::order));
    StringBuilder sb = new StringBuilder();
    int shown = Math.min(MAX_GROUPS, sorted.size());
    for (int i = 0; i < shown; i++) {
      Group g = sorted.get(i);
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(label(g.nodes())).append(": ").append(g.check().summary(req, g.nodes(), settings));
      if (sb.length() > MAX_CHARS) {
        break;
      }
    }
    if (sorted.size() > shown) {
      int rest = sorted.subList(shown, sorted.size()).stream().mapToInt(g -> g.nodes().size()).sum();
      int checks = sorted.size() - shown;
      sb.append("; ").append(rest).append(rest == 1 ? " more node" : " more nodes").append(": ")
          .append(checks).append(checks == 1 ? " other check" : " other checks").append(" (heady explain)");
    }
    return cut(sb.toString());
  }

  /** {@code "1 node (rpi4)"}, {@code "2 nodes (mac, pc)"}, {@code "12 nodes"}. */
  static String label(List<NodeRecord> nodes) {
    int n = nodes.size();
    String head = n + (n == 1 ? " node" : " nodes");
    if (n > NAMED_UP_TO) {
      return head;
    }
    List<String> names = new ArrayList<>();
    for (NodeRecord r : nodes) {
      String name = r.name() == null || r.name().isBlank() ? r.nodeId() : r.name();
      names.add(name.length() > NAME_CHARS ? name.substring(0, NAME_CHARS - 1) + "…" : name);
    }
    return head + " (" + String.join(", ", names) + ")";
  }

  static String cut(String s) {
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS - 1) + "…";
  }
}
