package io.heady.common.cluster;

import java.util.List;

/**
 * How a process joins the cluster.
 *
 * @param host the address this member binds to and advertises
 * @param port the Hazelcast port; 0 lets Hazelcast pick from 5701 upwards
 * @param members other members' {@code host:port} to join through
 * @param lite a lite member holds no data (agents)
 * @param heartbeatSec Hazelcast member heartbeat interval
 * @param maxNoHeartbeatSec a silent member is removed after this
 * @param busPort the event-bus TCP port; 0: any free port
 * @param busTlsDir where this member keeps the certificate its event-bus TLS uses; {@code null}: no TLS
 */
public record ClusterSettings(String clusterName, String host, int port, List<String> members, boolean lite,
    int heartbeatSec, int maxNoHeartbeatSec, int busPort, java.nio.file.Path busTlsDir) {

  /** Without event-bus TLS. */
  public ClusterSettings(String clusterName, String host, int port, List<String> members, boolean lite,
      int heartbeatSec, int maxNoHeartbeatSec, int busPort) {
    this(clusterName, host, port, members, lite, heartbeatSec, maxNoHeartbeatSec, busPort, null);
  }
}
