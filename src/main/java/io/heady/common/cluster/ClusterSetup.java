package io.heady.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/** Builds the Hazelcast member and the clustered Vert.x instance on it. */
public final class ClusterSetup {
  private ClusterSetup() {}

  /** The Hazelcast configuration heady uses: Vert.x's maps, TCP-IP join only, quiet and quick. */
  public static Config hazelcastConfig(ClusterSettings s) {
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(s.clusterName());
    cfg.setLiteMember(s.lite());
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.logging.type", "slf4j");
    // why: a second member joins in about a second instead of the default five
    cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(s.heartbeatSec()));
    cfg.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(s.maxNoHeartbeatSec()));
    // why: a member whose process died refuses connections; treat a few refusals as gone, fast
    cfg.setProperty("hazelcast.connection.monitor.interval", "100");
    cfg.setProperty("hazelcast.connection.monitor.max.faults", "2");
    cfg.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(s.port() == 0 ? 5701 : s.port());
    net.setPortAutoIncrement(s.port() == 0);
    net.setPortCount(100);
    net.getInterfaces().setEnabled(true).clear().addInterface(s.host());
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(s.members());
    return cfg;
  }

  /** A clustered Vert.x, with the Hazelcast instance kept so membership can be watched directly. */
  public record Clustered(Vertx vertx, HazelcastInstance hazelcast, HazelcastClusterManager manager) {}

  /** Starts Hazelcast and a clustered Vert.x on it; the Hazelcast instance is kept for membership events. */
  public static Future<Clustered> start(ClusterSettings s, VertxOptions options) {
    HazelcastClusterManager mgr = new HazelcastClusterManager(hazelcastConfig(s));
    options.getEventBusOptions().setHost(s.host()).setPort(s.busPort()).setClusterPublicHost(s.host());
    if (s.bus() != null) {
      s.bus().apply(options.getEventBusOptions());
    }
    return Vertx.builder().with(options).withClusterManager(mgr).buildClustered()
        .map(v -> new Clustered(v, mgr.getHazelcastInstance(), mgr));
  }
}
