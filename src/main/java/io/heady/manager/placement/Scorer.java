package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** One part of a feasible node's score; the parts are summed and shown in the explanation. */
public interface Scorer {
  String name();

  double score(PlacementRequest req, NodeRecord node);
}
