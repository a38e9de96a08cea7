package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;

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
      new PinCheck(),         // relayq's run_on_<node>
      new LocationCheck(),    // cloud_only / physical / gpu policy
      new ArchCheck(),        // x86_64 / aarch64 / armv7
      new CoresCheck(),       // type and task minimums
      new RamCheck(),
      new GpuCheck(),         // a real GPU, never an integrated one
      new CapabilityCheck(),  // docker, ffmpeg, …
      new LabelCheck(),       // operator labels
      new ReliabilityCheck(), // P0 needs >= 80
      new SlotCheck());       // free slot within the speed share; must stay last

  // The seed formula: capability match, headroom, tier boost, reliability, speed, live load.
  private static final List<Scorer> SCORERS = List.of(
      new CapabilityScorer(), new HeadroomScorer(), new TierScorer(), new ReliabilityScorer(),
      new SpeedScorer(), new LoadScorer());

  private final PlacementSettings settings;

  public Placer(PlacementSettings settings) {
    this.settings = settings;
  }

  public PlacementSettings settings() {
    return settings;
  }

  /** Places on physical nodes first; fails over to the cloud executor only when no physical node is eligible. */
  public Placement place(PlacementRequest req, Collection<NodeRecord> nodes) {
    Placement first = pass(req, nodes, false);
    if (first.placed() || first.waitingForSlot() || req.allowCloud() || !settings.failoverToCloud()
        || req.type().location() != Location.PHYSICAL || req.requires().gpu() || req.pin() != null) {
      return first;
    }
    Placement second = pass(req.withCloud(), nodes, true);
    return second;
  }

  private Placement pass(PlacementRequest req, Collection<NodeRecord> nodes, boolean fallbackPass) {
    JsonArray explain = new JsonArray();
    NodeRecord best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    boolean bestAvoided = false;
    boolean waiting = false;
    for (NodeRecord n : nodes) {
      JsonObject e = new JsonObject().put("node_id", n.nodeId()).put("name", n.name())
          .put("tier", n.tier().name()).put("location", n.location());
      String failed = null;
      String reason = null;
      for (FeasibilityCheck c : CHECKS) {
        String r = c.check(req, n, settings);
        if (r != null) {
          failed = c.name();
          reason = r;
          break;
        }
      }
      if (failed != null) {
        if (failed.equals("slots")) {
          waiting = true;
        }
        explain.add(e.put("eligible", false).put("failed_check", failed).put("reason", reason));
        continue;
      }
      JsonObject breakdown = new JsonObject();
      double total = 0;
      for (Scorer s : SCORERS) {
        double v = s.score(req, n);
        breakdown.put(s.name(), Math.round(v * 10) / 10.0);
        total += v;
      }
      boolean avoided = req.avoid().contains(n.nodeId());
      explain.add(e.put("eligible", true).put("score", Math.round(total * 10) / 10.0).put("breakdown", breakdown)
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
    return new Placement(best, best == null ? 0 : bestScore, waiting, fallbackPass && best != null, explain);
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
    if (n.running().size() != best.running().size()) {
      return n.running().size() < best.running().size();
    }
    return n.nodeId().compareTo(best.nodeId()) < 0;
  }
}
