package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** Cloud-only types run only on the local executor; physical types on agents unless failing over; GPU types never on the cloud. */
public final class LocationCheck implements FeasibilityCheck {
  @Override
  public boolean lasting() {
    return true;
  }

  @Override
  public String name() {
    return "location";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    boolean pinnedHere = req.pin() != null;
    return switch (req.type().location()) {
      case ANY -> null;
      case CLOUD_ONLY -> node.cloud() ? null : req.type().name() + " runs only on the cloud executor";
      case GPU -> node.cloud() ? req.type().name() + " needs a GPU node, never the cloud executor" : null;
      case PHYSICAL -> !node.cloud() || req.allowCloud() || pinnedHere ? null
          : req.type().name() + " runs on physical nodes (cloud only as a fallback)";
    };
  }
}
