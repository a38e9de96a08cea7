package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places a task: every node through the feasibility checks in order (the first failure is its reason),
 * then the feasible ones scored; highest score wins, ties go to the node with fewer running tasks, then to
 * the smaller node id, so the same inputs always give the same answer.
 */
public final class Placer {
  // The checks, cheapest and most telling first. The slot check is last on purpose: a node that fails only
  // it could take the task later, which is how "queue and wait" is told apart from "no node can ever".
  private static final List<FeasibilityCheck> CHECKS = List.of(
      new StatusCheck(),      // in service
      new DrainCheck(),       // operator drain
      new RefusalCheck(),     // the node's own refusal: disk_full
      new PinCheck(),         // relayq's run_on_<node>
      new LocationCheck(),    // cloud_only / physical / gpu policy
      new ArchCheck(),        // x86_64 / aarch64 / armv7
      new CoresCheck(),       // type and task minimums
      new RamCheck(),
      new GpuCheck(),         // a real GPU, never an integrated one
      new CapabilityCheck(),  // docker, ffmpeg, …
      new LabelCheck(),       // operator labels
      new ReliabilityCheck(), // P0 needs >= 80
      new HeldCheck(),        // not while the node still stops an earlier attempt of this task
      new SlotCheck());       // free slot within the speed share; must stay last

  // The seed formula: capability match, headroom, tier boost, reliability, speed, live load.
  private static final List<Scorer> SCORERS = List.of(
      new CapabilityScorer(), new HeadroomScorer(), new TierScorer(), new ReliabilityScorer(),
      new SpeedScorer(), new LoadScorer());

  private static final int SLOT_CHECK = CHECKS.size() - 1;

  /** Up to this many nodes, a placement explains every node; beyond it, counts per failed check. */
  public static final int EXPLAIN_EVERY_NODE_UP_TO = 16;

  private final PlacementSettings settings;
  private int cursor;

  public Placer(PlacementSettings settings) {
    this.settings = settings;
  }

  public PlacementSettings settings() {
    return settings;
  }

  /**
   * Places on physical nodes first; fails over to the cloud executor only when no physical node is eligible.
   * Up to {@value #EXPLAIN_EVERY_NODE_UP_TO} nodes every node is weighed and explained; in a larger cluster
   * the search stops after {@link PlacementSettings#candidates()} eligible nodes (starting where the last
   * search left off, so work spreads), and the explanation counts the nodes each check turned away.
   */
  public Placement place(PlacementRequest req, Collection<NodeRecord> nodes) {
    return place(req, nodes, nodes.size() <= EXPLAIN_EVERY_NODE_UP_TO);
  }

  /** Like {@link #place} but weighs and explains every node, whatever the cluster's size (the explain API). */
  public Placement explainAll(PlacementRequest req, Collection<NodeRecord> nodes) {
    return place(req, nodes, true);
  }

  private Placement place(PlacementRequest req, Collection<NodeRecord> nodes, boolean everyNode) {
    Placement first = everyNode ? pass(req, nodes, false) : quickPass(req, nodes, false);
    if (first.placed() || first.waitingForSlot() || !failsOver(req)) {
      return first;
    }
    return everyNode ? pass(req.withCloud(), nodes, true) : quickPass(req.withCloud(), nodes, true);
  }

  /** Whether the cloud executor may take this task when no physical node can (the failover pass). */
  private boolean failsOver(PlacementRequest req) {
    return !req.allowCloud() && settings.failoverToCloud() && req.type().location() == Location.PHYSICAL
        && !req.requires().gpu() && req.pin() == null;
  }

  /**
   * The task's requirements weighed against every node by every check, without placing it (and without moving
   * a large cluster's search along): what {@code heady explain} shows of a task that is not on a node. When no
   * physical node could take it, nor will once it has room, these are the cloud failover's verdicts, as
   * placement would take them. Its {@code reason} is the one placement gives, grouped by each node's first
   * failing check.
   */
  public TaskVerdicts verdicts(PlacementRequest req, Collection<NodeRecord> nodes) {
    TaskVerdicts first = weigh(req, nodes, false);
    if (first.best() != null || !failsOver(req) || first.nodes().stream().anyMatch(NodeVerdict::onlyWantsSlot)) {
      return first;
    }
    return weigh(req.withCloud(), nodes, true);
  }

  private TaskVerdicts weigh(PlacementRequest req, Collection<NodeRecord> nodes, boolean fallbackPass) {
    List<NodeVerdict> out = new ArrayList<>();
    ReasonGroups groups = new ReasonGroups();
    boolean waiting = false;
    NodeVerdict best = null;
    for (NodeRecord n : nodes) {
      List<CheckFailure> failures = new ArrayList<>();
      int first = -1;
      for (int i = 0; i < CHECKS.size(); i++) {
        FeasibilityCheck c = CHECKS.get(i);
        String r = c.check(req, n, settings);
        if (r != null) {
          failures.add(new CheckFailure(c.name(), r, c.lasting()));
          first = first < 0 ? i : first;
        }
      }
      boolean avoided = req.avoid().contains(n.nodeId());
      if (first >= 0) {
        groups.add(first, CHECKS.get(first), n);
        waiting |= first == SLOT_CHECK;
        out.add(new NodeVerdict(n, List.copyOf(failures), 0, Map.of(), avoided));
        continue;
      }
      Map<String, Double> parts = new LinkedHashMap<>();
      double total = 0;
      for (Scorer sc : SCORERS) {
        double v = sc.score(req, n);
        parts.put(sc.name(), round(v));
        total += v;
      }
      NodeVerdict v = new NodeVerdict(n, List.of(), total, parts, avoided);
      out.add(v);
      if (best == null || better(avoided, total, n, best.avoided(), best.score(), best.node())) {
        best = v;
      }
    }
    return new TaskVerdicts(out, best, fallbackPass,
        best == null ? Placement.why(waiting, groups.describe(req, settings)) : null);
  }

  /**
   * Why no node could ever take the task as the cluster stands (every node fails a lasting check: unknown
   * pin, wrong arch, too few cores or too little RAM, no GPU, a missing capability or label), or {@code null}
   * when some node could, now or once it has room or is back in service. A cluster without nodes cannot.
   */
  public String unplaceable(PlacementRequest req, Collection<NodeRecord> nodes) {
    if (nodes.isEmpty()) {
      return "no node in the cluster can take this task: no node has registered yet";
    }
    boolean cloud = settings.failoverToCloud() && req.type().location() == Location.PHYSICAL
        && !req.requires().gpu() && req.pin() == null;
    ReasonGroups groups = new ReasonGroups();
    for (NodeRecord n : nodes) {
      int failed = lastingFailure(req, n);
      if (failed >= 0 && cloud) {
        // why: with the failover the cloud executor is weighed as a fallback; its reason is the one that holds then
        failed = lastingFailure(req.withCloud(), n);
      }
      if (failed < 0) {
        return null;
      }
      groups.add(failed, CHECKS.get(failed), n);
    }
    return "no node in the cluster can take this task: " + groups.describe(req, settings);
  }

  /** The index of the first lasting check the node fails, or -1 when it fails none. */
  private int lastingFailure(PlacementRequest req, NodeRecord n) {
    for (int i = 0; i < CHECKS.size(); i++) {
      FeasibilityCheck c = CHECKS.get(i);
      if (c.lasting() && c.check(req, n, settings) != null) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first check the node fails, or -1 when it passes them all. */
  private int firstFailing(PlacementRequest req, NodeRecord n) {
    for (int i = 0; i < CHECKS.size(); i++) {
      if (CHECKS.get(i).check(req, n, settings) != null) {
        return i;
      }
    }
    return -1;
  }

  private static double score(PlacementRequest req, NodeRecord n) {
    double total = 0;
    for (Scorer s : SCORERS) {
      total += s.score(req, n);
    }
    return total;
  }

  /**
   * The search without a word per node: the first failing check of each node visited is counted, the
   * eligible ones are scored, and a large cluster's search ends after enough eligible candidates. Every node
   * visited is checked in full, a full one too: a search that places nothing says, node by node, the first
   * check that turned it away ({@link Placement#reason}).
   */
  private Placement quickPass(PlacementRequest req, Collection<NodeRecord> nodes, boolean fallbackPass) {
    List<NodeRecord> list = nodes instanceof List<NodeRecord> l ? l : new ArrayList<>(nodes);
    int size = list.size();
    int limit = settings.candidates();
    boolean bounded = limit > 0 && size > limit;
    int start = bounded ? Math.floorMod(cursor++, size) : 0;
    int[] rejected = new int[CHECKS.size()];
    NodeRecord best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    boolean bestAvoided = false;
    boolean waiting = false;
    int eligible = 0;
    int visited = 0;
    ReasonGroups groups = new ReasonGroups();
    for (int k = 0; k < size; k++) {
      NodeRecord n = list.get(bounded ? (start + k) % size : k);
      visited++;
      int failed = firstFailing(req, n);
      if (failed >= 0) {
        rejected[failed]++;
        waiting |= failed == SLOT_CHECK;
        groups.add(failed, CHECKS.get(failed), n);
        continue;
      }
      eligible++;
      double total = score(req, n);
      boolean avoided = req.avoid().contains(n.nodeId());
      if (best == null || better(avoided, total, n, bestAvoided, bestScore, best)) {
        best = n;
        bestScore = total;
        bestAvoided = avoided;
      }
      if (bounded && eligible >= limit && !bestAvoided) {
        break;
      }
    }
    JsonArray explain = new JsonArray();
    if (best != null) {
      explain.add(entry(best).put("eligible", true).put("score", round(bestScore))
          .put("breakdown", breakdown(req, best)).put("chosen", true));
    }
    JsonObject byCheck = new JsonObject();
    for (int i = 0; i < rejected.length; i++) {
      if (rejected[i] > 0) {
        byCheck.put(CHECKS.get(i).name(), rejected[i]);
      }
    }
    if (size > 0) {
      explain.add(new JsonObject().put("rejected_by_check", byCheck).put("nodes", size).put("considered", visited)
          .put("eligible_seen", eligible));
    }
    return new Placement(best, best == null ? 0 : bestScore, waiting, fallbackPass && best != null, explain,
        best == null ? () -> groups.describe(req, settings) : null);
  }

  private static JsonObject entry(NodeRecord n) {
    return new JsonObject().put("node_id", n.nodeId()).put("name", n.name()).put("tier", n.tier().name())
        .put("location", n.location());
  }

  private static JsonObject breakdown(PlacementRequest req, NodeRecord n) {
    JsonObject breakdown = new JsonObject();
    for (Scorer s : SCORERS) {
      breakdown.put(s.name(), round(s.score(req, n)));
    }
    return breakdown;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private Placement pass(PlacementRequest req, Collection<NodeRecord> nodes, boolean fallbackPass) {
    JsonArray explain = new JsonArray();
    NodeRecord best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    boolean bestAvoided = false;
    boolean waiting = false;
    ReasonGroups groups = new ReasonGroups();
    for (NodeRecord n : nodes) {
      JsonObject e = entry(n);
      int failed = firstFailing(req, n);
      if (failed >= 0) {
        FeasibilityCheck c = CHECKS.get(failed);
        waiting |= failed == SLOT_CHECK;
        groups.add(failed, c, n);
        explain.add(e.put("eligible", false).put("failed_check", c.name()).put("reason", c.check(req, n, settings)));
        continue;
      }
      double total = score(req, n);
      boolean avoided = req.avoid().contains(n.nodeId());
      explain.add(e.put("eligible", true).put("score", round(total)).put("breakdown", breakdown(req, n))
          .put("avoided", avoided ? Boolean.TRUE : null));
      if (best == null || better(avoided, total, n, bestAvoided, bestScore, best)) {
        best = n;
        bestScore = total;
        bestAvoided = avoided;
      }
    }
    if (best != null) {
      for (Object o : explain) {
        JsonObject e = (JsonObject) o;
        if (e.getString("node_id").equals(best.nodeId())) {
          e.put("chosen", true);
        }
      }
    }
    return new Placement(best, best == null ? 0 : bestScore, waiting, fallbackPass && best != null, explain,
        best == null ? () -> groups.describe(req, settings) : null);
  }

  private static boolean better(boolean avoided, double score, NodeRecord n, boolean bestAvoided,
      double bestScore, NodeRecord best) {
    if (avoided != bestAvoided) {
      return !avoided; // a node that just refused or lost this task is the last resort
    }
    long a = Math.round(score * 1000);
    long b = Math.round(bestScore * 1000);
    if (a != b) {
      return a > b;
    }
    if (n.used() != best.used()) {
      return n.used() < best.used();
    }
    return n.nodeId().compareTo(best.nodeId()) < 0;
  }
}
