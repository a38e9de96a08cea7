package io.heady.client.bench;

import io.heady.client.ClientConfig;
import io.heady.common.tls.ClientTls;
import java.io.IOException;
import java.util.List;

/**
 * The cluster a bench run measures: one started here for the run ({@code --local}), stopped when this is
 * closed, or one already running, found as every heady command finds it.
 *
 * @param token the admin token
 * @param joinToken the join token (for simulated nodes), or {@code null}
 * @param managerPid the manager's PID, or -1 when unknown (memory and heap are then not read)
 * @param agentPids the agents' PIDs (none for a cluster not started here)
 * @param cluster the cluster started here, or {@code null}
 * @param tls how the manager's certificate is trusted (a pinned fingerprint, else the JVM trust store)
 */
record BenchTarget(String url, String token, String joinToken, long managerPid, List<Long> agentPids,
    LocalCluster cluster, ClientTls tls) implements AutoCloseable {

  /** Starts a cluster on loopback and waits until it is ready; with {@code keep}, says where its files are. */
  static BenchTarget start(LocalCluster.Spec spec, ProgressBar bar) throws IOException, InterruptedException {
    LocalCluster c = new LocalCluster(spec, bar::note).start();
    if (spec.keep()) {
      bar.note("logs and data in " + c.dir());
    }
    return new BenchTarget(c.url(), c.adminToken(), c.joinToken(), c.managerPid(), c.agentPids(), c, ClientTls.DEFAULT);
  }

  /** A cluster already running, at the URL and with the token the configuration gives. */
  static BenchTarget running(ClientConfig config, String joinToken, Long managerPid) {
    return new BenchTarget(config.url(), config.token(), joinToken, managerPid == null ? -1 : managerPid, List.of(),
        null, ClientTls.pinned(config.fingerprint()));
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
