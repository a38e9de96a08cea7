package io.heady.manager.metrics;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;

/**
 * The manager's view of its Hazelcast cluster, for the {@code cluster} readiness check.
 *
 * @param running whether the local Hazelcast member is running
 * @param state the cluster state ({@code ACTIVE}, {@code NO_MIGRATION}, {@code FROZEN}, {@code PASSIVE},
 *     {@code IN_TRANSITION}), or the error met while reading it
 * @param members all members, the manager included
 * @param liteMembers lite members: agents on the event-bus transport
 * @param localLite whether this manager is (wrongly) a lite member, which holds no data
 */
public record ClusterMembership(boolean running, String state, int members, int liteMembers, boolean localLite) {
  /** Reads the instance; safe on an event loop (everything read is local state). */
  public static ClusterMembership of(HazelcastInstance hz) {
    try {
      if (!hz.getLifecycleService().isRunning()) {
        return new ClusterMembership(false, "NOT_RUNNING", 0, 0, false);
      }
      int lite = 0;
      int all = 0;
      for (Member m : hz.getCluster().getMembers()) {
        all++;
        if (m.isLiteMember()) {
          lite++;
        }
      }
      return new ClusterMembership(true, hz.getCluster().getClusterState().name(), all, lite,
          hz.getCluster().getLocalMember().isLiteMember());
    } catch (RuntimeException e) {
      return new ClusterMembership(false, "ERROR: " + e.getMessage(), 0, 0, false);
    }
  }
}
