package io.heady.agent;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.heady.agent.api.NodeApiVerticle;
import io.heady.agent.executor.ExecutorVerticle;
import io.heady.agent.hardware.HardwareVerticle;
import io.heady.agent.heartbeat.HeartbeatVerticle;
import io.heady.agent.link.EventBusLink;
import io.heady.agent.link.HttpLink;
import io.heady.agent.link.LinkException;
import io.heady.agent.link.ManagerLink;
import io.heady.common.cluster.ClusterSettings;
import io.heady.common.cluster.ClusterSetup;
import io.heady.common.cluster.HostPicker;
import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.Keys;
import io.heady.common.exec.TaskSlots;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.node.Reports;
import io.heady.agent.identity.NodeIdentity;
import io.heady.common.identity.BusSecurity;
import io.heady.common.identity.Pki;
import io.heady.common.tls.ClientTls;
import io.heady.common.tls.ServerTls;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the agent to the manager: a Vert.x instance (clustered for the event-bus transport),
 * the link, and the agent's verticles. When the manager is lost the whole session is replaced.
 */
public final class Session {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  private final Vertx vertx;
  private final ManagerLink link;
  private AgentState state;
  private final Reports reports;
  private volatile HeartbeatVerticle heartbeat;

  private Session(Vertx vertx, ManagerLink link, AgentState state, Reports reports) {
    this.vertx = vertx;
    this.link = link;
    this.state = state;
    this.reports = reports;
  }

  /** The manager refused this node's credential (it no longer knows it: revoked, or a new cluster). */
  static final class CredentialRefused extends Exception {
    CredentialRefused(String why) {
      super(why);
    }
  }

  static Session open(Config cfg, AgentRuntime.Settings s, AgentState state, TaskSlots slots, Reports reports,
      HardwareProbe probe, NodeIdentity id, Runnable managerLost) throws Exception {
    JsonObject join = fetchJoin(cfg, s, id);
    List<String> members = new ArrayList<>();
    join.getJsonArray("members").forEach(m -> members.add(String.valueOf(m)));
    LOG.info("joining cluster {} through members {}", join.getString("cluster_name", "?"), members);
    String host = cfg.string(Keys.CLUSTER_HOST);
    if (host.equals("auto")) {
      String towards = members.isEmpty() ? s.managerUrl().split(",")[0] : "http://" + members.get(0).split(":")[0];
      host = HostPicker.towards(towards);
    }
    Vertx vertx;
    ManagerLink link;
    boolean eventBus = s.transport().equals("eventbus");
    if (eventBus) {
      // why: TLS with this node's certificate both ways; it accepts only the manager at the other end
      BusSecurity bus = BusSecurity.member(id.credential(), id.managersCa());
      ClusterSettings cs = new ClusterSettings(join.getString("cluster_name"), host, cfg.integer(Keys.CLUSTER_PORT),
          members, true, join.getInteger("hz_heartbeat_sec", cfg.integer(Keys.HZ_HEARTBEAT_SEC)),
          join.getInteger("hz_max_no_heartbeat_sec", cfg.integer(Keys.HZ_MAX_NO_HEARTBEAT_SEC)),
          cfg.integer(Keys.BUS_PORT), bus);
      ClusterSetup.Clustered c = ClusterSetup.start(cs, new VertxOptions()).await();
      vertx = c.vertx();
      link = new EventBusLink(vertx, 5000, id.seal());
      state.memberId(c.manager().getNodeId());
      c.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent e) {}

        @Override
        public void memberRemoved(MembershipEvent e) {
          boolean managerLeft = true;
          for (Member m : e.getMembers()) {
            if (!m.isLiteMember()) {
              managerLeft = false;
            }
          }
          if (managerLeft) {
            LOG.warn("the manager left the cluster");
            managerLost.run();
          }
        }
      });
    } else {
      vertx = Vertx.vertx();
      link = new HttpLink(vertx, s.managerUrl(), id.seal(), 5000, ClientTls.fromConfig(cfg));
    }
    String apiHost = cfg.string(Keys.NODE_API_HOST).isBlank() ? host : cfg.string(Keys.NODE_API_HOST);
    ServerTls tls = ServerTls.fromConfig(cfg, s.dataDir(), List.of(apiHost));
    Session session = new Session(vertx, link, state, reports);
    try {
      vertx.deployVerticle(new HardwareVerticle(probe, state, 5000)).await();
      ExecutorVerticle executor = new ExecutorVerticle(state, slots, reports, eventBus,
          s.dataDir().resolve("logs"), id.seal());
      vertx.deployVerticle(executor).await();
      String admin = cfg.string(Keys.AGENT_ADMIN_TOKEN);
      NodeApiVerticle api = new NodeApiVerticle(state, executor, new NodeApiVerticle.Settings(apiHost, s.port(),
          id.seal(), admin.isBlank() ? null : admin, cfg.bool(Keys.EXECUTE_ENABLED),
          cfg.longValue(Keys.MAX_BODY_KB) * 1024, tls, NodeApiVerticle.Settings.EXECUTE_TIMEOUT_MS,
          io.heady.common.http.HttpLimits.fromConfig(cfg)));
      vertx.deployVerticle(api).await();
      // why: every agent names its node API's URL, so the manager can reach an event-bus agent over HTTP
      // when the bus cannot (see the manager's AgentsVerticle)
      String tunnel = s.tunnelUrl().isBlank() ? tls.scheme() + "://" + apiHost + ":" + api.actualPort()
          : s.tunnelUrl();
      state.tunnel(tunnel);
      AgentState st = state;
      reports.attach(vertx, link);
      long hbMs = join.getLong("heartbeat_interval_sec", cfg.longValue(Keys.HEARTBEAT_SEC)) * 1000;
      long lostAfter = join.getLong("ttl_sec", 120L) * 1000;
      HeartbeatVerticle hb = new HeartbeatVerticle(st, link, executor, hbMs, eventBus ? managerLost : null,
          lostAfter, s.dataDir().resolve("agent-status.json"));
      vertx.deployVerticle(hb).await();
      session.heartbeat = hb;
      LOG.info("heady agent {} up: transport {}, node API on {}://{}:{}, manager {}", s.nodeId(), s.transport(),
          tls.scheme(), apiHost, api.actualPort(), s.managerUrl());
      if (tls.enabled()) {
        LOG.info("node API TLS certificate {} SHA-256 fingerprint: {}", tls.cert(), tls.fingerprint());
      }
      if (cfg.bool(Keys.EXECUTE_ENABLED)) {
        LOG.warn("POST /api/node/execute is {}", admin.isBlank() ? "enabled but refused: no --admin-token"
            : "on: holders of the admin token can run commands here directly");
      }
    } catch (Exception e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static JsonObject fetchJoin(Config cfg, AgentRuntime.Settings s, NodeIdentity id) throws Exception {
    Vertx boot = Vertx.vertx();
    try {
      return new HttpLink(boot, s.managerUrl(), id.seal(), 5000, ClientTls.fromConfig(cfg))
          .get("/api/cluster/join").await();
    } catch (LinkException e) {
      if (e.status() == 401 || e.status() == 403) {
        throw new CredentialRefused("the manager refused this node's credential (" + e.getMessage() + ")");
      }
      throw e;
    } finally {
      boot.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Heartbeats now, from any thread: the node's standing changed (its disk filled up, or has room again). */
  void heartbeatNow() {
    HeartbeatVerticle hb = heartbeat;
    if (hb != null) {
      hb.nowFromAnyThread();
    }
  }

  ManagerLink link() {
    return link;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Tells the manager this node is leaving (best effort, bounded). */
  void deregister() {
    try {
      link.deregister(new JsonObject().put("node_id", state.nodeId())).await(5, TimeUnit.SECONDS);
      LOG.info("deregistered from the manager");
    } catch (Exception e) {
      LOG.warn("could not deregister: {}", e.getMessage());
    }
  }

  void close() {
    reports.detach();
    try {
      vertx.close().await(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing the session: {}", e.getMessage());
    }
  }
}
