package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The durable store: everything in one Redis database (standalone Redis 5 or later), under a key prefix
 * ({@link RedisKeys} has the layout). Selected with {@code --store=redis://[:password@]host:port/db}
 * ({@code rediss://} for TLS). This class puts together its parts, one concern each:
 * {@link RedisLink} (the one connection: order, timeouts, reconnection), {@link RedisWrites} (the fenced
 * writes), {@link RedisTaskReads} (tasks, history and pages), {@link RedisDocuments} (nodes, counters,
 * identity, secrets, enrollments), {@link RedisLeadership} (the lease) and {@link RedisMaintenance} (what runs once
 * connected).
 *
 * <p><b>Writes.</b> Every write is one Lua script ({@link RedisScripts#WRITE}): a batch of tasks lands whole
 * or not at all, in one round trip, and its future succeeds only after Redis replied. Durability is Redis's:
 * run it with {@code appendonly yes} and {@code appendfsync always} (heady's installer should), and a write
 * acknowledged here survives a crash of Redis or of its machine. With {@code appendfsync everysec} Redis
 * answers before the write is in its AOF file while a background fsync runs, so even a killed Redis process
 * can lose acknowledged writes (measured: 4 runs in 40 of a save-then-SIGKILL test); the store warns at
 * connect when Redis is configured so.
 *
 * <p><b>Order and outages.</b> All commands go over one connection, pipelined, in the order they were issued.
 * Every operation is bounded by {@link Settings#timeout()} and fails with {@link StoreUnavailableException},
 * never hangs; a lost connection is reopened by itself, with a doubling backoff up to
 * {@link Settings#maxBackoff()} ({@link RedisLink} says how).
 */
public final class RedisClusterStore implements ClusterStore {
  /**
   * How the store is laid out and behaves.
   *
   * @param prefix prepended to every key (default {@code heady:}; {@link #forCluster} puts a cluster name
   *     in it so two clusters can share one Redis database)
   * @param retention how long finished tasks are kept
   * @param timeout the longest any operation (and connecting) may take before it fails
   * @param maxBackoff the longest wait between reconnection attempts while Redis is down
   */
  public record Settings(String prefix, Retention retention, Duration timeout, Duration maxBackoff) {
    public static final String DEFAULT_PREFIX = "heady:";

    public Settings {
      if (prefix == null || prefix.isEmpty()) {
        throw new IllegalArgumentException("the key prefix must not be empty");
      }
      if (retention == null) {
        throw new IllegalArgumentException("retention must be given (Retention.NONE keeps everything)");
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, not " + timeout);
      }
      if (maxBackoff == null || maxBackoff.toMillis() < RedisLink.FIRST_BACKOFF_MS) {
        throw new IllegalArgumentException("maxBackoff must be at least " + RedisLink.FIRST_BACKOFF_MS + " ms, not "
            + maxBackoff);
      }
    }

    /** Prefix {@code heady:}, {@link Retention#DEFAULT}, 3 s timeout, reconnecting at least every 2 s. */
    public static Settings defaults() {
      return new Settings(DEFAULT_PREFIX, Retention.DEFAULT, Duration.ofSeconds(3), Duration.ofSeconds(2));
    }

    /** The defaults with the prefix {@code heady:<clusterName>:}. */
    public static Settings forCluster(String clusterName) {
      return defaults().withPrefix(DEFAULT_PREFIX + clusterName + ":");
    }

    public Settings withPrefix(String p) {
      return new Settings(p, retention, timeout, maxBackoff);
    }

    public Settings withRetention(Retention r) {
      return new Settings(prefix, r, timeout, maxBackoff);
    }

    public Settings withTimeout(Duration t) {
      return new Settings(prefix, retention, t, maxBackoff);
    }

    public Settings withMaxBackoff(Duration b) {
      return new Settings(prefix, retention, timeout, b);
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final RedisKeys keys;
  private final RedisLink link;
  private final RedisLeadership leadership;
  private final RedisMaintenance maintenance;
  private final RedisWrites writes;
  private final RedisTaskReads reads;
  private final RedisDocuments documents;

  /** A store with {@link Settings#defaults()} and the system clock. */
  public RedisClusterStore(Vertx vertx, String url) {
    this(vertx, url, Settings.defaults(), Clock.systemUTC());
  }

  /**
   * Creates the store; it connects on first use (and {@link #ping()} is the way to find out whether Redis
   * is there). The clock times finished tasks for {@link Retention#finishedTtl()}.
   *
   * @throws IllegalArgumentException when the URL is not {@code redis://} or {@code rediss://}
   */
  public RedisClusterStore(Vertx vertx, String url, Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.keys = new RedisKeys(settings.prefix());
    // why: one holder of the manager this store writes for, set by the lease, read by the fenced writes and
    // named by the link when Redis refuses a write of a manager that no longer leads
    AtomicReference<String> owner = new AtomicReference<>();
    this.link = new RedisLink(vertx, url, settings.timeout(), settings.maxBackoff(), owner::get);
    this.leadership = new RedisLeadership(link, keys, owner);
    this.maintenance = new RedisMaintenance(link, keys);
    link.onConnected(maintenance::connected);
    this.writes = new RedisWrites(link, keys, settings.retention(), clock, owner::get);
    this.reads = new RedisTaskReads(link, keys);
    this.documents = new RedisDocuments(link, keys);
  }

  // ---- writes (fenced) ---------------------------------------------------------------------------------

  @Override
  public Future<Void> saveTasks(List<JsonObject> tasks) {
    return writes.saveTasks(tasks);
  }

  @Override
  public Future<Void> saveNodes(List<JsonObject> nodes) {
    return writes.saveNodes(nodes);
  }

  @Override
  public Future<Void> deleteNode(String nodeId) {
    return writes.deleteNode(nodeId);
  }

  @Override
  public Future<Void> saveCounters(JsonObject counters) {
    return writes.saveCounters(counters);
  }

  @Override
  public Future<Integer> expireFinished() {
    return writes.expireFinished();
  }

  // ---- tasks -------------------------------------------------------------------------------------------

  @Override
  public Future<JsonObject> task(String taskId) {
    return reads.task(taskId);
  }

  @Override
  public Future<List<JsonObject>> unfinishedTasks() {
    return reads.unfinishedTasks();
  }

  @Override
  public Future<List<JsonObject>> history(int limit, long beforeFinishSeq) {
    return reads.history(limit, beforeFinishSeq);
  }

  @Override
  public Future<TaskPage> tasks(TaskQuery q) {
    return reads.tasks(q);
  }

  @Override
  public Future<Long> highestSeq() {
    return reads.highestSeq();
  }

  // ---- other documents ---------------------------------------------------------------------------------

  @Override
  public Future<List<JsonObject>> nodes() {
    return documents.nodes();
  }

  @Override
  public Future<JsonObject> counters() {
    return documents.counters();
  }

  @Override
  public Future<JsonObject> identity() {
    return documents.identity();
  }

  @Override
  public Future<JsonObject> saveIdentityIfAbsent(JsonObject id) {
    return documents.saveIdentityIfAbsent(id);
  }

  @Override
  public Future<JsonObject> secretsKey() {
    return documents.secretsKey();
  }

  @Override
  public Future<JsonObject> saveSecretsKeyIfAbsent(JsonObject key) {
    return documents.saveSecretsKeyIfAbsent(key);
  }

  @Override
  public Future<List<JsonObject>> secrets() {
    return documents.secrets();
  }

  @Override
  public Future<JsonObject> secret(String name) {
    return documents.secret(name);
  }

  @Override
  public Future<Void> saveSecret(JsonObject secret) {
    return documents.saveSecret(secret);
  }

  @Override
  public Future<Boolean> deleteSecret(String name) {
    return documents.deleteSecret(name);
  }

  @Override
  public Future<List<JsonObject>> enrollments() {
    return documents.enrollments();
  }

  @Override
  public Future<Void> saveEnrollment(JsonObject e) {
    return documents.saveEnrollment(e);
  }

  @Override
  public Future<Void> deleteEnrollment(String nodeId) {
    return documents.deleteEnrollment(nodeId);
  }

  // ---- leadership --------------------------------------------------------------------------------------

  @Override
  public Future<Boolean> tryLead(String managerId, String url, Duration ttl) {
    return leadership.tryLead(managerId, url, ttl);
  }

  @Override
  public Future<String> leader() {
    return leadership.leader();
  }

  @Override
  public Future<String> leaderUrl() {
    return leadership.leaderUrl();
  }

  @Override
  public Future<Void> resign(String managerId) {
    return leadership.resign(managerId);
  }

  // ---- health ------------------------------------------------------------------------------------------

  /** Writes a short-lived key: proves Redis answers and accepts writes (not read-only, not out of memory). */
  @Override
  public Future<Void> ping() {
    return link.send(Request.cmd(Command.SET).arg(keys.alive()).arg(clock.millis()).arg("PX").arg(60_000))
        .mapEmpty();
  }

  @Override
  public String describe() {
    return link.description();
  }

  @Override
  public io.vertx.core.json.JsonObject durability() {
    return maintenance.durability();
  }

  /** The settings this store was made with. */
  public Settings settings() {
    return settings;
  }

  @Override
  public Future<Void> close() {
    return link.close();
  }
}
