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
 * @param bus the member's credential and whom it accepts (TLS with client certificates on the event bus);
 *     {@code null} only for a process outside the cluster's trust (a test's rogue member)
 */
public record ClusterSettings(String clusterName, String host, int port, List<String> members, boolean lite,
    int heartbeatSec, int maxNoHeartbeatSec, int busPort, io.heady.common.identity.BusSecurity bus) {

  /** Without a credential: no TLS (nobody in a heady cluster talks to such a member). */
  public ClusterSettings(String clusterName, String host, int port, List<String> members, boolean lite,
      int heartbeatSec, int maxNoHeartbeatSec, int busPort) {
    this(clusterName, host, port, members, lite, heartbeatSec, maxNoHeartbeatSec, busPort, null);
  }
}
