package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Up to 20 for having the type's preferred capabilities (all 20 when it prefers none). */
public final class CapabilityScorer implements Scorer {
  @Override
  public String name() {
    return "capability";
  }

  @Override
  public double score(PlacementRequest req, NodeRecord node) {
    var prefer = req.type().prefer();
    if (prefer.isEmpty()) {
      return 20;
    }
    long have = prefer.stream().filter(node.capabilities()::contains).count();
    return 20.0 * have / prefer.size();
  }
}
