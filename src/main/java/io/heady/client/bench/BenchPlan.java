package io.heady.client.bench;

import java.nio.file.Path;

/**
 * What one {@code heady bench} run measures, from its validated options ({@link BenchCommand} checks them).
 *
 * @param kind {@code noop} or {@code shell}
 * @param warmup tasks run first and not counted (already defaulted)
 * @param timeoutSec a phase gives up after this long
 * @param agents agents of a {@code --local} cluster; {@code slots} task slots each (or each simulated node)
 * @param store {@code memory} or {@code redis}, with {@code --local}
 * @param simNodes simulated nodes, 0 for a run with real agents
 * @param profileDir where to record JFR profiles, or {@code null}
 * @param label the run's name in the chart, or {@code null}
 * @param local the cluster is started for the run
 */
record BenchPlan(String kind, int tasks, int warmup, int inFlight, int batch, int requests, int timeoutSec,
    int agents, int slots, String store, String transport, String agentProfile, int simNodes, int simHeartbeatSec,
    int simFloodSec, Path profileDir, String label, boolean local) {

  /** The load driver's settings for a run with real agents. */
  LoadDriver.Settings driverSettings() {
    return new LoadDriver.Settings(kind, inFlight, batch, requests, 15, timeoutSec);
  }
}
