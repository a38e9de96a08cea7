package io.heady.agent.hardware;

import io.heady.agent.AgentState;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.protocol.Hardware;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/** Detects this node's hardware once at start, then samples its load, always on a worker thread. */
public final class HardwareVerticle extends VerticleBase {
  private final HardwareProbe probe;
  private final AgentState state;
  private final long sampleMs;

  public HardwareVerticle(HardwareProbe probe, AgentState state, long sampleMs) {
    this.probe = probe;
    this.state = state;
    this.sampleMs = sampleMs;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      Hardware hw = probe.detect();
      List<String> caps = probe.capabilities(hw);
      state.hardware(hw, caps);
      state.stats(probe.sample());
      return hw;
    }).onSuccess(hw -> vertx.setPeriodic(sampleMs, id -> vertx.executeBlocking(probe::sample)
        .onSuccess(state::stats)));
  }
}
