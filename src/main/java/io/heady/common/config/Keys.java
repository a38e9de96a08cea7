package io.heady.common.config;

import static io.heady.common.config.ConfigKey.key;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key heady reads, in the order {@code --help} lists them. */
public final class Keys {
  static final String M = "manager";
  static final String A = "agent";

  // Both roles.
  public static final ConfigKey ROLE = key("role").oneOf(null, "manager", "agent").roles(M, A)
      .help("which part of heady this process runs");
  public static final ConfigKey CONF_DIR = key("conf-dir").string("conf").roles(M, A)
      .help("folder holding <role>.json, policy.json; missing is fine");
  public static final ConfigKey DATA_DIR = key("data-dir").string("~/.heady").roles(M, A)
      .help("where tokens, the node id and task logs are kept");
  public static final ConfigKey LOG_LEVEL = key("log-level").oneOf("info", "error", "warn", "info", "debug", "trace")
      .roles(M, A).help("log verbosity");
  public static final ConfigKey CLUSTER_HOST = key("cluster-host").string("auto").roles(M, A)
      .help("address other members reach this one on (event bus, Hazelcast); auto: the route to the manager");
  public static final ConfigKey CLUSTER_PORT = key("cluster-port").integer(0, 0, 65535).roles(M, A)
      .help("Hazelcast port; 0: 5701 for a manager, any free port for an agent");
  public static final ConfigKey BUS_PORT = key("bus-port").integer(0, 0, 65535).roles(M, A)
      .help("event-bus TCP port; 0: any free port");
  public static final ConfigKey HZ_HEARTBEAT_SEC = key("hz-heartbeat-sec").seconds(1, 1, 60).roles(M, A)
      .help("Hazelcast member heartbeat interval");
  public static final ConfigKey HZ_MAX_NO_HEARTBEAT_SEC = key("hz-max-no-heartbeat-sec").seconds(5, 2, 600)
      .roles(M, A).help("a silent (hung) member is removed from the cluster after this");

  // Manager.
  public static final ConfigKey HOST = key("host").string("0.0.0.0").roles(M)
      .help("address the manager's HTTP API binds to");
  public static final ConfigKey PORT_MANAGER = key("port").integer(7070, 0, 65535).roles(M)
      .help("manager HTTP port (agent: node API port, default 7700)");
  public static final ConfigKey STORE = key("store").url("memory").roles(M)
      .help("memory, or redis://[:password@]host:port/db (rediss:// for TLS)");
  public static final ConfigKey LEADER_TTL_SEC = key("leader-ttl-sec").seconds(6, 2, 300).roles(M)
      .help("with a redis store, the leader's lease; a standby takes over this long after the leader dies");
  public static final ConfigKey CLUSTER_NAME = key("cluster-name").string("heady").roles(M)
      .help("Hazelcast cluster name; agents learn it from the manager");
  public static final ConfigKey CLUSTER_MEMBERS = key("cluster-members").list().roles(M)
      .help("other managers' host:port for Hazelcast TCP join (repeatable)");
  public static final ConfigKey ADVERTISE_URL = key("advertise-url").string("").roles(M)
      .help("URL agents, installers and clients reach this manager on (a standby's NOT_LEADER names the leader by"
          + " it); empty: derived from the request, or the address it listens on");
  public static final ConfigKey JOIN_TOKEN = key("join-token").string("").roles(M)
      .help("agents' secret; empty: generated into <data-dir>/join.token");
  public static final ConfigKey ADMIN_TOKEN = key("admin-token").string("").roles(M)
      .help("clients' secret; empty: generated into <data-dir>/admin.token");
  public static final ConfigKey HEARTBEAT_SEC = key("heartbeat-sec").seconds(45, 1, 3600).roles(M, A)
      .help("how often agents heartbeat (the manager tells agents its value)");
  public static final ConfigKey TTL_SEC = key("ttl-sec").seconds(120, 2, 86400).roles(M)
      .help("a node with no heartbeat for this long is stale");
  public static final ConfigKey OFFLINE_SEC = key("offline-sec").seconds(600, 3, 604800).roles(M)
      .help("a node with no heartbeat for this long is offline");
  public static final ConfigKey PROBE_SEC = key("probe-sec").seconds(30, 1, 3600).roles(M)
      .help("active health probe interval");
  public static final ConfigKey EVENTS_BUS_WINDOW_MS = key("events-bus-window-ms").integer(20, 0, 1000).roles(M)
      .help("events on the cluster bus go as at most one signed message this often (ms); 0: each batch at once");
  public static final ConfigKey PROBE_FAILURES = key("probe-failures").integer(3, 1, 100).roles(M)
      .help("consecutive failed probes that make a node unhealthy");
  public static final ConfigKey APPROVE_NODES = key("approve-nodes").bool(false).roles(M)
      .help("a new agent waits as pending_approval until an operator approves it (heady nodes approve NODE)");
  public static final ConfigKey MAX_REQUEUES = key("max-requeues").integer(100, 1, 100000).roles(M)
      .help("times a task may go back to the queue because nodes did not run it (lost, undelivered) before it"
          + " fails; never counts against its own max_attempts");
  public static final ConfigKey PROBATION_TASKS = key("probation-tasks").integer(3, 1, 1000).roles(M)
      .help("P3 tasks a quarantined node must run to its end on probation before it is active again");
  public static final ConfigKey STAGNATION_SEC = key("stagnation-sec").string("300,300,600,900").roles(M)
      .help("seconds without progress before the watchdog acts on a P0,P1,P2,P3 task");
  public static final ConfigKey STALL_SEC = key("stall-sec").seconds(30, 1, 86400).roles(M)
      .help("a queue with free slots and no dispatch for this long raises watchdog.queue_stalled");
  public static final ConfigKey LOCAL_EXECUTOR = key("local-executor").bool(true).roles(M)
      .help("run the built-in cloud executor node inside the manager");
  public static final ConfigKey LOCAL_SLOTS = key("local-slots").integer(0, 0, 256).roles(M)
      .help("concurrent tasks on the local executor; 0: from this machine's size");
  public static final ConfigKey FAILOVER_TO_CLOUD = key("failover-to-cloud").bool(true).roles(M)
      .help("let non-GPU tasks fall back to the local executor when no physical node is eligible");
  public static final ConfigKey OFFLOAD_CPU_PCT = key("offload-cpu-pct").integer(70, 1, 101).roles(M)
      .help("a node whose CPU is above this takes half as many new tasks until it cools (101: never)");
  public static final ConfigKey PLACEMENT_CANDIDATES = key("placement-candidates").integer(64, 0, 100_000)
      .roles(M).help("in a cluster larger than this, a placement weighs this many eligible nodes, not all "
          + "(0: always all)");
  public static final ConfigKey PREFETCH_PER_SLOT = key("prefetch-per-slot").integer(2, 0, 64).roles(M)
      .help("quick tasks (noop, or estimated_duration_ms up to 1000) a node may hold queued beyond its slots, per"
          + " slot, so one dispatch carries several; the node still runs no more than its slots at once (0: none)");
  public static final ConfigKey MAX_BODY_KB = key("max-body-kb").integer(1024, 1, 1048576).roles(M, A)
      .help("largest request body accepted (413 above)");
  public static final ConfigKey HTTP_HEAD_TIMEOUT_SEC = key("http-head-timeout-sec").seconds(10, 1, 3600).roles(M, A)
      .help("a connection that sends no whole request head within this is closed");
  public static final ConfigKey HTTP_IDLE_TIMEOUT_SEC = key("http-idle-timeout-sec").seconds(90, 1, 86400)
      .roles(M, A).help("a keep-alive connection with no request in progress is closed after this");
  public static final ConfigKey HTTP_BODY_TIMEOUT_SEC = key("http-body-timeout-sec").seconds(60, 1, 86400)
      .roles(M, A).help("a request body must have arrived this long after its head (408 otherwise)");
  public static final ConfigKey MAX_CONNECTIONS_PER_ADDRESS = key("max-connections-per-address")
      .integer(128, 1, 1_000_000).roles(M, A)
      .help("open HTTP connections one client address may hold; more are closed at once (raise it behind a proxy)");
  public static final ConfigKey OPEN_HEALTH = key("open-health").bool(true).roles(M)
      .help("serve /health/* and /metrics without a token");
  public static final ConfigKey TOKEN_GRACE_SEC = key("token-grace-sec").seconds(3600, 0, 30L * 86400).roles(M)
      .help("after an admin token rotation the old one stays valid this long (update clients within it); a rotated join"
          + " token enrolls nothing at once, and enrolled agents do not use it");
  public static final ConfigKey SUBMIT_RATE = key("submit-rate").integer(5000, 1, 10_000_000).roles(M)
      .help("task submissions per second allowed to one client (token and address); 429 above");
  public static final ConfigKey SUBMIT_BURST = key("submit-burst").integer(20000, 1, 100_000_000).roles(M)
      .help("task submissions one client may make at once before --submit-rate applies");
  public static final ConfigKey MAX_DAG_TASKS = key("max-dag-tasks").integer(10000, 1, 1_000_000).roles(M)
      .help("most tasks in one submission ({tasks:[...]}), and in one task's depends_on; 400 above (the body must"
          + " also fit --max-body-kb)");
  public static final ConfigKey TLS_CERT = key("tls-cert").string("").roles(M, A)
      .help("PEM certificate (chain) to serve HTTPS with (manager API; agent: node API)");
  public static final ConfigKey TLS_KEY = key("tls-key").string("").roles(M, A)
      .help("PEM private key of --tls-cert");
  public static final ConfigKey TLS_SELF_SIGNED = key("tls-self-signed").bool(false).roles(M, A)
      .help("serve HTTPS with a self-signed certificate kept in <data-dir>/tls; prints its fingerprint");

  // Agent.
  public static final ConfigKey MANAGER = key("manager").env("HEADY_MANAGER_URL").urls().roles(A)
      .help("the manager's URL, e.g. http://192.168.1.10:7070 (required; repeat or comma-separate for standbys)");
  public static final ConfigKey TOKEN = key("token").env("HEADY_TOKEN").string("").roles(A)
      .help("the join token, needed once to enroll this node (prefer --token-file: a command line is visible to"
          + " every local user)");
  public static final ConfigKey TOKEN_FILE = key("token-file").env("HEADY_TOKEN_FILE").string("").roles(A)
      .help("file holding the join token, read once to enroll this node; - reads it from standard input");
  public static final ConfigKey NODE_API_HOST = key("node-api-host").string("").roles(A)
      .help("address the node API binds to; empty: the cluster address (--cluster-host)");
  public static final ConfigKey NODE_ID = key("node-id").string("").roles(A)
      .help("stable id of this node; empty: this host's name");
  public static final ConfigKey NAME = key("name").env("HEADY_NODE_NAME").string("").roles(A)
      .help("human name of this node; empty: the node id");
  public static final ConfigKey TRANSPORT = key("transport").oneOf("eventbus", "eventbus", "http").roles(A)
      .help("eventbus (LAN, tailnet) or http (behind a tunnel)");
  public static final ConfigKey TUNNEL_URL = key("tunnel-url").string("").roles(A)
      .help("public URL of this node's API when behind a tunnel (http transport)");
  public static final ConfigKey LABEL = key("label").env("HEADY_LABELS").list().roles(A)
      .help("operator label k=v (repeatable; env: comma separated)");
  public static final ConfigKey MAX_CONCURRENT = key("max-concurrent").integer(0, 0, 1024).roles(A)
      .help("task slots on this node; 0: from the tier formula");
  public static final ConfigKey EXECUTE_ENABLED = key("execute-enabled").bool(false).roles(A)
      .help("enable POST /api/node/execute (needs --admin-token too)");
  public static final ConfigKey AGENT_ADMIN_TOKEN = key("admin-token").string("").roles(A)
      .help("the cluster's admin token, only for POST /api/node/execute; empty: execute stays refused");
  public static final ConfigKey MANAGER_FINGERPRINT = key("manager-fingerprint").string("").roles(A)
      .help("SHA-256 fingerprint of the manager's HTTPS certificate to trust (a self-signed manager)");
  public static final ConfigKey TLS_INSECURE = key("tls-insecure").bool(false).roles(A)
      .help("trust any HTTPS certificate of the manager (tests only: anyone in the path can impersonate it)");
  public static final ConfigKey OUTPUT_TAIL_KB = key("output-tail-kb").integer(64, 1, 65536).roles(M, A)
      .help("stdout/stderr tail kept in the task record");
  public static final ConfigKey LOG_MAX_KB = key("log-max-kb").integer(10240, 1, 10485760).roles(A, M)
      .help("full output kept per task for /tasks/:id/log");
  public static final ConfigKey SHUTDOWN_GRACE_SEC = key("shutdown-grace-sec").seconds(300, 0, 86400).roles(A)
      .help("on SIGTERM, how long running tasks may take to finish before they are stopped");
  public static final ConfigKey KILL_GRACE_SEC = key("kill-grace-sec").seconds(5, 0, 600).roles(A, M)
      .help("time between TERM and KILL when a task is stopped");
  public static final ConfigKey RUN_AS = key("run-as").string("").roles(A, M)
      .help("user tasks run as when this node runs as root; empty: heady-task (it must exist; root only if named)");
  public static final ConfigKey TASK_USERS = key("task-users").list().roles(A, M)
      .help("users a task may ask for with run_as (repeatable or comma separated; only when running as root)");
  public static final ConfigKey LOG_RETENTION_DAYS = key("log-retention-days").integer(7, 0, 36500).roles(A, M)
      .help("task logs on this node (the manager: its local executor's) older than this are removed; 0: never by"
          + " age");
  public static final ConfigKey LOG_MAX_MB = key("log-max-mb").integer(1024, 0, 16_777_216).roles(A, M)
      .help("the node's task-log folder as a whole is kept under this size, oldest logs removed first (a running"
          + " task's never); 0: no cap");
  public static final ConfigKey LOG_SWEEP_SEC = key("log-sweep-sec").seconds(600, 1, 86400).roles(A, M)
      .help("how often task logs are checked against --log-retention-days and --log-max-mb (and once at start)");
  public static final ConfigKey MIN_FREE_MB = key("min-free-mb").integer(1024, 0, 1L << 40).roles(A)
      .help("the agent takes no new task (disk_full) while the disk under its data dir has less free space;"
          + " 0: off");
  public static final ConfigKey MIN_FREE_PCT = key("min-free-pct").integer(0, 0, 99).roles(A)
      .help("the agent takes no new task (disk_full) while less than this percent of that disk is free; 0: off");

  /** Keys whose flag differs by role in meaning; the agent's port. */
  public static final ConfigKey PORT_AGENT = key("port").integer(7700, 0, 65535).roles(A)
      .help("agent node API port");

  private static final List<ConfigKey> ALL = List.of(
      ROLE, CONF_DIR, DATA_DIR, LOG_LEVEL, CLUSTER_HOST, CLUSTER_PORT, BUS_PORT, HZ_HEARTBEAT_SEC,
      HZ_MAX_NO_HEARTBEAT_SEC, HOST, PORT_MANAGER, STORE, LEADER_TTL_SEC, CLUSTER_NAME, CLUSTER_MEMBERS, ADVERTISE_URL,
      JOIN_TOKEN, ADMIN_TOKEN, HEARTBEAT_SEC, TTL_SEC, OFFLINE_SEC, PROBE_SEC, PROBE_FAILURES, MAX_REQUEUES,
      PROBATION_TASKS, APPROVE_NODES, STAGNATION_SEC, STALL_SEC, LOCAL_EXECUTOR, LOCAL_SLOTS, FAILOVER_TO_CLOUD,
      OFFLOAD_CPU_PCT, PLACEMENT_CANDIDATES, PREFETCH_PER_SLOT, MAX_BODY_KB, HTTP_HEAD_TIMEOUT_SEC, HTTP_IDLE_TIMEOUT_SEC,
      HTTP_BODY_TIMEOUT_SEC, MAX_CONNECTIONS_PER_ADDRESS,
      OPEN_HEALTH,
      EVENTS_BUS_WINDOW_MS,
      TOKEN_GRACE_SEC, SUBMIT_RATE, SUBMIT_BURST, MAX_DAG_TASKS, TLS_CERT, TLS_KEY, TLS_SELF_SIGNED, MANAGER, TOKEN,
      TOKEN_FILE, NODE_API_HOST, NODE_ID, NAME, TRANSPORT, TUNNEL_URL, LABEL, MAX_CONCURRENT, EXECUTE_ENABLED, AGENT_ADMIN_TOKEN,
      MANAGER_FINGERPRINT, TLS_INSECURE, OUTPUT_TAIL_KB, LOG_MAX_KB,
      KILL_GRACE_SEC, RUN_AS, TASK_USERS, LOG_RETENTION_DAYS, LOG_MAX_MB, LOG_SWEEP_SEC, MIN_FREE_MB, MIN_FREE_PCT,
      SHUTDOWN_GRACE_SEC, PORT_AGENT);

  private Keys() {}

  /** The keys a role reads, by name. */
  public static Map<String, ConfigKey> forRole(String role) {
    Map<String, ConfigKey> m = new LinkedHashMap<>();
    for (ConfigKey k : ALL) {
      if (k.appliesTo(role)) {
        m.put(k.name(), k);
      }
    }
    return m;
  }

  public static List<ConfigKey> all() {
    return ALL;
  }
}
