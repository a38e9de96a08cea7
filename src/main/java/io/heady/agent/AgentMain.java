package io.heady.agent;

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
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.protocol.Fields;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent role. It needs only the manager's URL and the join token: it asks the manager for the
 * cluster's name and members, joins (event bus) or stays on HTTP, then registers and heartbeats.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  /** A running agent, for tests and shutdown. */
  public record Running(Vertx vertx, Runnable shutdown) {}

  public static Running start(Config cfg) throws Exception {
    String managerUrl = cfg.required(Keys.MANAGER);
    String token = cfg.required(Keys.TOKEN);
    String nodeId = cfg.string(Keys.NODE_ID);
    if (nodeId.isBlank()) {
      nodeId = defaultNodeId();
    }
    if (!Fields.ID.matcher(nodeId).matches()) {
      throw new ConfigException("--node-id: '" + nodeId + "' must match [A-Za-z0-9._-]{1,64}");
    }
    String name = cfg.string(Keys.NAME).isBlank() ? nodeId : cfg.string(Keys.NAME);
    String transport = cfg.string(Keys.TRANSPORT);
    Path dataDir = cfg.path(Keys.DATA_DIR);
    Files.createDirectories(dataDir);
    Path logs = dataDir.resolve("logs");
    Files.createDirectories(logs);

    // Ask the manager who the cluster is, with a plain Vert.x: the clustered one needs these answers.
    Vertx boot = Vertx.vertx();
    JsonObject join;
    try {
      join = fetchJoin(new HttpLink(boot, managerUrl, token, 5000));
    } finally {
      boot.close();
    }

    int port = cfg.integer(Keys.PORT_AGENT);
    String tunnel = cfg.string(Keys.TUNNEL_URL);
    String host = cfg.string(Keys.CLUSTER_HOST);
    List<String> members = new ArrayList<>();
    join.getJsonArray("members").forEach(m -> members.add(String.valueOf(m)));
    if (host.equals("auto")) {
      String towards = members.isEmpty() ? managerUrl : "http://" + members.get(0).split(":")[0];
      host = HostPicker.towards(towards);
    }
    Vertx vertx;
    ManagerLink link;
    AgentState state;
    if (transport.equals("eventbus")) {
      ClusterSettings cs = new ClusterSettings(join.getString("cluster_name"), host, cfg.integer(Keys.CLUSTER_PORT),
          members, true, join.getInteger("hz_heartbeat_sec", cfg.integer(Keys.HZ_HEARTBEAT_SEC)),
          join.getInteger("hz_max_no_heartbeat_sec", cfg.integer(Keys.HZ_MAX_NO_HEARTBEAT_SEC)),
          cfg.integer(Keys.BUS_PORT));
      ClusterSetup.Clustered c = ClusterSetup.start(cs, new VertxOptions()).await();
      vertx = c.vertx();
      link = new EventBusLink(vertx, 5000);
      state = new AgentState(nodeId, name, transport, null, cfg.labels(Keys.LABEL), cfg.integer(Keys.MAX_CONCURRENT));
      state.memberId(c.manager().getNodeId());
    } else {
      if (tunnel.isBlank()) {
        tunnel = "http://" + host + ":" + port;
      }
      vertx = Vertx.vertx();
      link = new HttpLink(vertx, managerUrl, token, 5000);
      state = new AgentState(nodeId, name, transport, tunnel, cfg.labels(Keys.LABEL), cfg.integer(Keys.MAX_CONCURRENT));
    }

    HardwareProbe probe = HardwareProbe.system(dataDir);
    vertx.deployVerticle(new HardwareVerticle(probe, state, 5000)).await();
    ProcessRunner runner = new ProcessRunner(Executors.newCachedThreadPool(daemon("heady-exec")),
        timers("heady-exec-timer"));
    TaskSlots.Settings ss = new TaskSlots.Settings(cfg.integer(Keys.OUTPUT_TAIL_KB) * 1024,
        cfg.longValue(Keys.LOG_MAX_KB) * 1024, Duration.ofSeconds(cfg.longValue(Keys.KILL_GRACE_SEC)), logs);
    ExecutorVerticle executor = new ExecutorVerticle(state, link, runner, ss, Clock.systemUTC());
    vertx.deployVerticle(executor).await();
    NodeApiVerticle api = new NodeApiVerticle(state, executor, "0.0.0.0", port, token,
        cfg.longValue(Keys.MAX_BODY_KB) * 1024);
    vertx.deployVerticle(api).await();
    long hbMs = join.getLong("heartbeat_interval_sec", cfg.longValue(Keys.HEARTBEAT_SEC)) * 1000;
    vertx.deployVerticle(new HeartbeatVerticle(state, link, executor, hbMs)).await();
    LOG.info("heady agent {} up: transport {}, node API on :{}, manager {}", nodeId, transport, api.actualPort(),
        managerUrl);
    Vertx v = vertx;
    return new Running(vertx, () -> v.close());
  }

  private static JsonObject fetchJoin(HttpLink link) throws Exception {
    long backoff = 250;
    for (int attempt = 1; ; attempt++) {
      try {
        return link.get("/api/cluster/join").await();
      } catch (LinkException e) {
        if (e.status() == 401 || e.status() == 403) {
          throw new ConfigException("--token: the manager refused the join token (" + e.getMessage() + ")");
        }
        if (attempt >= 40) {
          throw e;
        }
        LOG.warn("manager not reachable yet ({}); retrying in {} ms", e.getMessage(), backoff);
        Thread.sleep(backoff); // why: the agent's boot thread has nothing else to do until the manager answers
        backoff = Math.min(5000, backoff * 2);
      }
    }
  }

  static String defaultNodeId() {
    String h;
    try {
      h = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      h = System.getenv().getOrDefault("HOSTNAME", "node");
    }
    h = h.replaceAll("[^A-Za-z0-9._-]", "-");
    return h.length() > 64 ? h.substring(0, 64) : h;
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** A timer pool that forgets cancelled timeouts at once (the runner cancels one per finished task). */
  static java.util.concurrent.ScheduledExecutorService timers(String name) {
    java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
        daemon(name));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
