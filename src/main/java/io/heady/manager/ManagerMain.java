package io.heady.manager;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.heady.common.cluster.ClusterSettings;
import io.heady.common.cluster.ClusterSetup;
import io.heady.common.cluster.HostPicker;
import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.Keys;
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.retention.LogRetention;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.protocol.Hardware;
import io.heady.common.identity.BusSecurity;
import io.heady.common.identity.Pki;
import io.heady.common.identity.Seal;
import io.heady.common.tls.ServerTls;
import io.heady.manager.agents.AgentsVerticle;
import io.heady.manager.agents.LocalTransport;
import io.heady.manager.identity.ClusterAuthority;
import io.heady.manager.identity.EnrollmentDesk;
import io.heady.manager.identity.Enrollments;
import io.heady.manager.api.AgentRoutes;
import io.heady.manager.api.ApiSettings;
import io.heady.manager.api.ApiVerticle;
import io.heady.manager.api.DashboardRoutes;
import io.heady.manager.api.Tokens;
import io.heady.manager.local.LocalExecutorVerticle;
import io.heady.manager.metrics.ClusterMembership;
import io.heady.manager.metrics.ClusterMembershipCheck;
import io.heady.manager.metrics.HeadyMetrics;
import io.heady.manager.metrics.MetricsVerticle;
import io.heady.manager.metrics.PlacementMetrics;
import io.heady.manager.metrics.TimedClusterStore;
import io.heady.manager.node.Tier;
import io.heady.manager.placement.Policy;
import io.heady.manager.scheduler.ClusterService;
import io.heady.manager.scheduler.EventJournal;
import io.heady.manager.scheduler.IdSource;
import io.heady.manager.scheduler.LeaderLease;
import io.heady.manager.scheduler.Scheduler;
import io.heady.manager.scheduler.SchedulerSettings;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.heady.manager.secrets.DispatchSecrets;
import io.heady.manager.secrets.SecretMasks;
import io.heady.manager.secrets.SecretVault;
import io.heady.manager.secrets.SecretsKey;
import io.heady.manager.store.ClusterStore;
import io.heady.manager.store.MemoryClusterStore;
import io.heady.manager.watchdog.WatchdogVerticle;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the manager role: the cluster member, the store, the four verticles and the local executor. */
public final class ManagerMain {
  private static final Logger LOG = LoggerFactory.getLogger(ManagerMain.class);

  private ManagerMain() {}

  /** A running manager, for tests and for shutdown. */
  public record Running(ClusterSetup.Clustered cluster, int port, Tokens tokens) {
    public Future<Void> stop() {
      return cluster.vertx().close().onComplete(v -> cluster.hazelcast().shutdown());
    }
  }

  public static Running start(Config cfg) throws Exception {
    Path dataDir = cfg.path(Keys.DATA_DIR);
    Files.createDirectories(dataDir);
    Tokens tokens = Tokens.load(dataDir, cfg.string(Keys.JOIN_TOKEN), cfg.string(Keys.ADMIN_TOKEN),
        Duration.ofSeconds(cfg.longValue(Keys.TOKEN_GRACE_SEC)), Clock.systemUTC());
    io.heady.manager.api.NamedTokens named;
    try {
      named = io.heady.manager.api.NamedTokens.load(dataDir, Clock.systemUTC());
    } catch (java.io.IOException e) {
      throw new ConfigException(e.getMessage());
    }
    Policy policy;
    try {
      policy = Policy.load(Path.of(cfg.string(Keys.CONF_DIR)).resolve("policy.json"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    SchedulerSettings settings = ManagerSettings.scheduler(cfg);
    HeadyMetrics metrics = HeadyMetrics.create();

    String host = cfg.string(Keys.CLUSTER_HOST);
    if (host.equals("auto")) {
      host = HostPicker.firstLan();
    }
    // why: a bad TLS setting must stop the start before the cluster member is up
    String advertised = io.heady.common.tls.CertNames.hostOf(cfg.string(Keys.ADVERTISE_URL));
    ServerTls tls = ServerTls.fromConfig(cfg, dataDir, java.util.Arrays.asList(advertised, cfg.string(Keys.HOST),
        host), advertised);
    Clock clock = Clock.systemUTC();
    String clusterName = cfg.string(Keys.CLUSTER_NAME);
    // why: the event bus's TLS needs the cluster's identity before this member joins, and the identity may
    // live in the store (a standby shares the first manager's): read it with a Vert.x of its own
    ClusterAuthority authority = loadAuthority(cfg, dataDir, clusterName, clock);
    BusSecurity bus = BusSecurity.manager(authority.manager(), authority.issuers());
    ClusterSettings cs = new ClusterSettings(clusterName, host, cfg.integer(Keys.CLUSTER_PORT),
        cfg.list(Keys.CLUSTER_MEMBERS), false, cfg.integer(Keys.HZ_HEARTBEAT_SEC),
        cfg.integer(Keys.HZ_MAX_NO_HEARTBEAT_SEC), cfg.integer(Keys.BUS_PORT), bus);
    ClusterSetup.Clustered cluster = ClusterSetup.start(cs,
        new VertxOptions().setMetricsOptions(metrics.vertxOptions())).await();
    var vertx = cluster.vertx();
    ClusterStore store = TimedClusterStore.wrap(ManagerSettings.openStore(cfg, vertx, cs.clusterName()),
        metrics.registry());
    if (!store.describe().equals("memory")) {
      try {
        store.ping().await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("the store {} is not answering yet ({}); the manager will wait for it", store.describe(),
            e.getMessage());
      }
    }
    Enrollments enrollments = new Enrollments(authority, new EnrollmentDesk(EnrollmentDesk.Settings.of(
        cfg.bool(Keys.APPROVE_NODES))), store.describe().equals("memory")
            ? Enrollments.in(vertx, dataDir.resolve("identity").resolve("enrollments.jsonl")) : Enrollments.in(store),
        clock);
    loadEnrollments(vertx, enrollments);
    Seal seal = new Seal(Seal.MANAGER, enrollments::pairKey, clock, Seal.DEFAULT_WINDOW);
    vertx.setPeriodic(60_000, id -> store.expireFinished()
        .onFailure(e -> LOG.debug("retention pass failed: {}", e.getMessage())));

    EventJournal journal = new EventJournal(10_000);
    // why: an enrollment whose node never registers is forgotten after a while; one that registered is kept
    journal.listen(batch -> batch.forEach(e -> {
      String type = e.event().type();
      if (type.equals("node.registered") || type.equals("node.reregistered")) {
        enrollments.registered(e.event().data().getString("node_id"))
            .onFailure(x -> LOG.warn("cannot record that node {} registered: {}", e.event().data()
                .getString("node_id"), x.getMessage()));
      }
    }));
    long tickMs = Math.max(100, Math.min(1000, settings.ttl().toMillis() / 4));
    boolean standbyCapable = !store.describe().equals("memory");
    String managerId = cluster.manager().getNodeId();
    LeaderLease lease = standbyCapable
        ? LeaderLease.elected(store, managerId, Duration.ofSeconds(cfg.longValue(Keys.LEADER_TTL_SEC)))
        : LeaderLease.sole(store);
    SchedulerVerticle scheduler = new SchedulerVerticle(clock, store,
        sink -> new Scheduler(settings, policy, sink, new IdSource(),
            PlacementMetrics.timer(metrics.registry())), tickMs, journal, lease);
    scheduler.eventSigner(authority::sign);
    scheduler.busWindow(Duration.ofMillis(cfg.integer(Keys.EVENTS_BUS_WINDOW_MS)));
    // Secrets: encrypted in the store under a key of the data dir; sealed per attempt for the node that runs it.
    // The local executor has no pair key: it gets a random key of this process's own.
    SecretsKey secretsKey = new SecretsKey(vertx, store, dataDir);
    SecretVault vault = new SecretVault(store, secretsKey, clock);
    byte[] localKey = new byte[32];
    new java.security.SecureRandom().nextBytes(localKey);
    scheduler.secrets(new DispatchSecrets(vault,
        id -> LocalExecutorVerticle.NODE_ID.equals(id) ? localKey : enrollments.pairKey(id),
        new SecretMasks()));
    // why: made (or read) now, so the key file exists from the first start and a standby finds it in the store
    secretsKey.get().onFailure(e -> LOG.warn("{}; retried when a secret is first used", e.getMessage()));
    ClusterService service = new ClusterService(scheduler, settings);
    // why: only the leader takes the agents' messages; a standby's consumers would take some of them from it
    service.whenLeading(() -> AgentRoutes.listen(vertx.eventBus(), seal, service));
    LocalTransport local = new LocalTransport();
    AgentsVerticle agents = new AgentsVerticle(service, seal, local, cfg.longValue(Keys.PROBE_SEC) * 1000, 5000,
        settings.heartbeat().multipliedBy(2).plusSeconds(2), clock);
    scheduler.delivery(agents);
    service.resubscribeHint(agents::takeResubscribe);
    if (standbyCapable) {
      lease.onLeading(() -> new Thread(() -> {
        // why: nodes may have enrolled with the old leader since this standby last read them
        enrollments.load().onFailure(e -> LOG.warn("cannot read the enrollments: {}", e.getMessage()));
        // why: hardware detection and deployment block; never on the scheduler's event loop
        try {
          deployLocalExecutor(cfg, vertx, service, settings, dataDir, clock, local, localKey);
        } catch (Exception e) {
          LOG.error("the local executor did not start: {}", e.getMessage());
        }
      }, "heady-take-over").start());
      lease.onLost(() -> {
        LOG.error("exiting: another manager leads; a supervisor (systemd) restarts this one as a standby");
        Runtime.getRuntime().halt(3);
      });
      LOG.info("manager {} is a candidate for leadership through {}", managerId, store.describe());
      // why: a standby keeps up with enrollments made with the leader, so it knows every node when it takes over
      vertx.setPeriodic(5000, id -> {
        if (!lease.leading()) {
          enrollments.load().onFailure(e -> LOG.debug("cannot read the enrollments: {}", e.getMessage()));
        }
      });
    }
    // why: frees the ids (and the places) of enrollments that waited too long, also when nobody enrolls
    vertx.setPeriodic(60_000, id -> {
      if (lease.leading()) {
        enrollments.expire();
      }
    });
    vertx.deployVerticle(scheduler).await();
    vertx.deployVerticle(agents).await();
    vertx.deployVerticle(new WatchdogVerticle(service, ManagerSettings.watchdog(cfg), 1000)).await();
    MetricsVerticle metricsFeed = new MetricsVerticle(service, metrics, policy::known, 5000);
    vertx.deployVerticle(metricsFeed).await();

    cluster.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {}

      @Override
      public void memberRemoved(MembershipEvent e) {
        // why: Vert.x names a member by its own node id, kept as a member attribute, not Hazelcast's UUID
        String attr = e.getMember().getAttribute("__vertx.nodeId");
        String member = attr != null ? attr : e.getMember().getUuid().toString();
        service.memberLost(member);
      }
    });

    if (!standbyCapable) {
      deployLocalExecutor(cfg, vertx, service, settings, dataDir, clock, local, localKey);
    }
    String clusterHost = host;
    ApiVerticle api = new ApiVerticle(ApiSettings.from(cfg, tls), tokens, named, service, store, journal,
        () -> joinInfo(cluster, cs, settings, clusterHost), enrollments, seal, vault);
    api.dashboard(new DashboardRoutes(metricsFeed::scrape).readiness("cluster",
        new ClusterMembershipCheck(() -> ClusterMembership.of(cluster.hazelcast()))));
    vertx.deployVerticle(api).await();
    int port = api.actualPort();
    String apiUrl = apiUrl(cfg.string(Keys.ADVERTISE_URL), tls.scheme(), cfg.string(Keys.HOST), clusterHost, port);
    lease.url(() -> apiUrl); // why: a standby names the leader by it (503 NOT_LEADER), so clients can follow
    LOG.info("heady manager ready on {}://{}:{} (store {}, cluster '{}' at {})", tls.scheme(),
        cfg.string(Keys.HOST), port, store.describe(), cs.clusterName(), clusterHost);
    if (tls.enabled()) {
      LOG.info("TLS certificate {}{} SHA-256 fingerprint: {}", tls.cert(), tls.selfSigned() ? " (self-signed)" : "",
          tls.fingerprint());
      LOG.info("agents, the heady CLI and the SDK trust it with --manager-fingerprint={} (or the environment"
          + " variable HEADY_MANAGER_FINGERPRINT)", tls.fingerprint());
    }
    LOG.info("admin token (for the CLI, the dashboard and the API): {}", cfg.has(Keys.ADMIN_TOKEN)
        ? "from " + cfg.source(Keys.ADMIN_TOKEN) : tokens.adminFile());
    LOG.info("join token (for agents): {}", cfg.has(Keys.JOIN_TOKEN)
        ? "from " + cfg.source(Keys.JOIN_TOKEN) : tokens.joinFile());
    LOG.info("add a node: copy the join token to it (a file, mode 0600), then: java -jar heady.jar --role=agent"
        + " --manager={}://{}:{} --token-file=<that file>{} (it is needed once, to enroll the node)", tls.scheme(),
        clusterHost, port, tls.selfSigned() ? " --manager-fingerprint=" + tls.fingerprint() : "");
    if (cfg.bool(Keys.APPROVE_NODES)) {
      LOG.info("new nodes wait for approval: heady nodes approve NODE");
    }
    Running running = new Running(cluster, port, tokens);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("manager shutting down");
      try {
        running.stop().await(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown: {}", e.getMessage());
      }
    }, "heady-manager-shutdown"));
    return running;
  }

  private static void deployLocalExecutor(Config cfg, io.vertx.core.Vertx vertx, ClusterService service,
      SchedulerSettings settings, Path dataDir, Clock clock, LocalTransport local, byte[] secretsKey)
      throws Exception {
    if (cfg.bool(Keys.LOCAL_EXECUTOR)) {
      HardwareProbe probe = HardwareProbe.system(dataDir);
      Hardware hw = probe.detect();
      int slots = cfg.integer(Keys.LOCAL_SLOTS) > 0 ? cfg.integer(Keys.LOCAL_SLOTS)
          : Tier.maxConcurrent(hw.cpuCores(), hw.ramGb());
      Path logs = dataDir.resolve("logs");
      Files.createDirectories(logs);
      // why: the local executor's tasks run on the manager's machine; they must not read its tokens or identity
      ProcessRunner runner = new ProcessRunner(Executors.newCachedThreadPool(daemon("heady-local-exec")),
          timers("heady-local-timer"), io.heady.common.exec.contain.NodeContainment.start(cfg,
              LocalExecutorVerticle.NODE_ID, dataDir));
      TaskSlots.Settings ss = TaskSlots.Settings.from(cfg, logs);
      LocalExecutorVerticle executor = new LocalExecutorVerticle(service, runner, ss, probe, hw, slots,
          settings.heartbeat().toMillis(), clock).secrets(secretsKey);
      // why: attached before it registers, so the first dispatch to it finds it
      local.attach(executor);
      vertx.deployVerticle(executor).await();
      vertx.deployVerticle(new io.heady.manager.local.LocalLogsVerticle(executor, logs, new LogRetention(
          LogRetention.Settings.of(cfg.longValue(Keys.LOG_RETENTION_DAYS), cfg.longValue(Keys.LOG_MAX_MB))),
          Duration.ofSeconds(cfg.longValue(Keys.LOG_SWEEP_SEC)), clock)).await();
    }
  }

  /**
   * The cluster's identity: from the store when it answers (a standby shares the first manager's), else from
   * the data dir, else a new one. A store that does not answer is not waited for when the data dir has one.
   */
  private static ClusterAuthority loadAuthority(Config cfg, Path dataDir, String clusterName, Clock clock)
      throws Exception {
    io.vertx.core.Vertx boot = io.vertx.core.Vertx.vertx();
    try {
      ClusterStore s = ManagerSettings.openStore(cfg, boot, clusterName);
      try {
        return ClusterAuthority.load(s, dataDir, clusterName, clock).await(15, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        if (!java.nio.file.Files.isRegularFile(dataDir.resolve("identity").resolve("cluster.json"))) {
          throw new ConfigException("the cluster identity could not be read from " + s.describe() + " ("
              + e.getMessage() + ") and there is none in " + dataDir.resolve("identity")
              + "; start the manager when its store answers");
        }
        LOG.warn("the store does not answer ({}); using the cluster identity in {}", e.getMessage(), dataDir);
        return ClusterAuthority.load(new MemoryClusterStore(), dataDir, clusterName, clock)
            .await(15, java.util.concurrent.TimeUnit.SECONDS);
      } finally {
        s.close();
      }
    } finally {
      boot.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Reads the enrollments, again and again while the store does not answer (no node is trusted meanwhile). */
  private static void loadEnrollments(io.vertx.core.Vertx vertx, Enrollments e) {
    e.load().onFailure(x -> {
      LOG.warn("cannot read the enrollments yet ({}); retrying", x.getMessage());
      vertx.setTimer(2000, t -> loadEnrollments(vertx, e));
    });
  }

  /**
   * Where clients reach this manager's API: {@code --advertise-url}, else the address it listens on (the cluster
   * host when it listens on every address) and its port.
   */
  static String apiUrl(String advertised, String scheme, String listenHost, String clusterHost, int port) {
    if (advertised != null && !advertised.isBlank()) {
      return advertised.endsWith("/") ? advertised.substring(0, advertised.length() - 1) : advertised;
    }
    String h = listenHost == null || listenHost.isBlank() || listenHost.equals("0.0.0.0") || listenHost.equals("::")
        ? clusterHost : listenHost;
    return scheme + "://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
  }

  private static JsonObject joinInfo(ClusterSetup.Clustered cluster, ClusterSettings cs, SchedulerSettings s,
      String host) {
    JsonArray members = new JsonArray();
    for (Member m : cluster.hazelcast().getCluster().getMembers()) {
      if (!m.isLiteMember()) {
        members.add(m.getAddress().getHost() + ":" + m.getAddress().getPort());
      }
    }
    return new JsonObject()
        .put("cluster_name", cs.clusterName())
        .put("members", members)
        .put("manager_host", host)
        .put("heartbeat_interval_sec", s.heartbeat().toSeconds())
        .put("ttl_sec", s.ttl().toSeconds())
        .put("hz_heartbeat_sec", cs.heartbeatSec())
        .put("hz_max_no_heartbeat_sec", cs.maxNoHeartbeatSec())
        .put("bus_tls", true)
        .put("version", io.heady.common.Version.VERSION);
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
