package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store: everything in one Redis database (standalone Redis 5 or later), under a key prefix
 * ({@link RedisKeys} has the layout). Selected with {@code --store=redis://[:password@]host:port/db}
 * ({@code rediss://} for TLS).
 *
 * <p><b>Writes.</b> Every write is one Lua script ({@link RedisScripts#WRITE}): a batch of tasks lands whole
 * or not at all, in one round trip, and its future succeeds only after Redis replied. Durability is Redis's:
 * run it with {@code appendonly yes} and {@code appendfsync always} (heady's installer should), and a write
 * acknowledged here survives a crash of Redis or of its machine. With {@code appendfsync everysec} Redis
 * answers before the write is in its AOF file while a background fsync runs, so even a killed Redis process
 * can lose acknowledged writes (measured: 4 runs in 40 of a save-then-SIGKILL test); the store warns at
 * connect when Redis is configured so.
 *
 * <p><b>Order.</b> All commands go over one connection, pipelined, so batches land in the order they were
 * issued (with a pool, a later batch could overtake an earlier one and a stale document win).
 *
 * <p><b>Outages.</b> Every operation is bounded by {@link Settings#timeout()}; it fails with
 * {@link StoreUnavailableException}, never hangs. When the connection drops (or an answer is late, which
 * drops it too, so nothing queues behind a dead socket) the store reconnects by itself: at once, then with a
 * doubling backoff up to {@link Settings#maxBackoff()}, on a timer, whether or not anything is asked of it.
 * Between attempts operations fail at once instead of each trying to connect. Each new connection loads the
 * scripts before it is used, so a restarted Redis (with an empty script cache) needs nothing else.
 */
public final class RedisClusterStore implements ClusterStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterStore.class);
  private static final long FIRST_BACKOFF_MS = 100;
  /** HMGET this many documents per command when reading many; all chunks go in one pipelined batch. */
  private static final int READ_CHUNK = 500;
  /** Earlier tasks indexed by status per script run (see {@link RedisScripts#BACKFILL}). */
  private static final int BACKFILL_CHUNK = 500;

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
      if (maxBackoff == null || maxBackoff.toMillis() < FIRST_BACKOFF_MS) {
        throw new IllegalArgumentException("maxBackoff must be at least " + FIRST_BACKOFF_MS + " ms, not "
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

  /** One connection and the client that owns it; replaced whole when it fails. */
  private static final class Link {
    final Redis client;
    Future<RedisConnection> ready;
    volatile RedisConnection conn;
    boolean dead;

    Link(Redis client) {
      this.client = client;
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Clock clock;
  private final RedisKeys keys;
  private final RedisOptions options;
  private final String description;
  private final String url;
  private final long timeoutMs;
  private volatile String self;

  // guarded by this
  private Link link;
  private long retryAtNanos;
  private long backoffMs;
  private Throwable lastFailure;
  private long reconnectTimer = -1;
  private boolean closed;
  private boolean durabilityChecked;
  private boolean indexing;

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
    this.vertx = vertx;
    this.settings = settings;
    this.clock = clock;
    this.keys = new RedisKeys(settings.prefix());
    this.description = describe(url);
    this.url = url;
    handshake(url); // why: fail now on a bad user or database, not on the first connection
    this.timeoutMs = settings.timeout().toMillis();
    this.options = new RedisOptions()
        // why: the client gets only the address; AUTH and SELECT are ours (see handshake), because a failed
        // AUTH inside the client's own handshake leaks the socket (vertx-redis-client #555), and we retry
        .setConnectionString(endpoint(url))
        .setProtocolNegotiation(false)
        // why: one connection, so batches are applied in the order they were issued
        .setMaxPoolSize(1)
        .setMaxWaitingHandlers(65_536)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setTcpKeepAlive(true)
            .setTcpNoDelay(true));
  }

  /** {@code redis://host:port/db} without the password; rejects what is not a Redis URL. */
  static String describe(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      // why: the reason only; the message would repeat the URL, password included
      throw new IllegalArgumentException("not a Redis URL: " + e.getReason() + " at index " + e.getIndex());
    }
    String scheme = u.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("a Redis store URL starts with redis:// or rediss://, not '"
          + (scheme == null ? url : scheme + "://") + "'");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("the Redis URL names no host: " + url.replaceAll("//[^@/]*@", "//"));
    }
    String db = u.getPath() == null || u.getPath().length() <= 1 ? "0" : u.getPath().substring(1);
    if (!db.matches("\\d+")) {
      throw new IllegalArgumentException("the Redis URL's database must be a number, not '" + db + "'");
    }
    return scheme + "://" + u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort()) + "/" + db;
  }

  /** The URL without user, password and database: what the Redis client connects to. */
  static String endpoint(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
  }

  /** AUTH (when the URL has a password) and SELECT, sent first on every new connection. */
  static List<Request> handshake(String url) {
    URI u = URI.create(url);
    List<Request> out = new ArrayList<>();
    String info = u.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      String user = colon < 0 ? "" : decode(info.substring(0, colon));
      String password = decode(colon < 0 ? info : info.substring(colon + 1));
      if (!password.isEmpty()) {
        Request auth = Request.cmd(Command.AUTH);
        if (!user.isEmpty() && !user.equals("default")) {
          auth.arg(user);
        }
        out.add(auth.arg(password));
      }
    }
    String db = u.getPath() == null || u.getPath().length() <= 1 ? "0" : u.getPath().substring(1);
    out.add(Request.cmd(Command.SELECT).arg(Integer.parseInt(db)));
    return out;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  // ---- writes ----------------------------------------------------------------------------------------

  @Override
  public Future<Void> saveTasks(List<JsonObject> tasks) {
    List<TaskEntry> batch;
    try {
      batch = TaskEntry.of(tasks);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    Request r = write("tasks");
    for (TaskEntry t : batch) {
      r.arg(t.id()).arg(t.seq()).arg(t.status()).arg(t.doc().toBuffer());
    }
    return send(r).mapEmpty();
  }

  @Override
  public Future<Void> saveNodes(List<JsonObject> nodes) {
    for (JsonObject n : nodes) {
      if (n == null || !(n.getValue("node_id") instanceof String)) {
        return Future.failedFuture(new IllegalArgumentException("a node document has no node_id"));
      }
    }
    if (nodes.isEmpty()) {
      return Future.succeededFuture();
    }
    Request r = write("nodes");
    nodes.forEach(n -> r.arg(n.getString("node_id")).arg(n.toBuffer()));
    return send(r).mapEmpty();
  }

  @Override
  public Future<Void> deleteNode(String nodeId) {
    return send(write("delnode").arg(nodeId)).mapEmpty();
  }

  @Override
  public Future<Void> saveCounters(JsonObject counters) {
    return send(write("counters").arg(counters.toBuffer())).mapEmpty();
  }

  @Override
  public Future<Integer> expireFinished() {
    return send(write("expire")).map(Response::toInteger);
  }

  /** The write script's request, up to its op; the caller adds the op's arguments. */
  private Request write(String op) {
    Request r = Request.cmd(Command.EVALSHA).arg(RedisScripts.WRITE_SHA);
    String[] k = keys.writeKeys();
    r.arg(k.length);
    for (String key : k) {
      r.arg(key);
    }
    long now = clock.millis();
    Retention ret = settings.retention();
    String owner = self;
    return r.arg(owner == null ? "" : owner)
        .arg(now)
        .arg(ret.keepFinished())
        .arg(ret.byAge() ? Long.toString(now - ret.finishedTtl().toMillis()) : "")
        .arg(op);
  }

  // ---- reads -----------------------------------------------------------------------------------------

  @Override
  public Future<JsonObject> task(String taskId) {
    return send(Request.cmd(Command.HGET).arg(keys.tasks()).arg(taskId)).map(RedisClusterStore::json);
  }

  @Override
  public Future<List<JsonObject>> nodes() {
    return send(Request.cmd(Command.HVALS).arg(keys.nodes())).map(r -> {
      List<JsonObject> out = new ArrayList<>(r.size());
      r.forEach(v -> out.add(json(v)));
      return out;
    });
  }

  @Override
  public Future<List<JsonObject>> unfinishedTasks() {
    return send(Request.cmd(Command.ZRANGE).arg(keys.unfinished()).arg(0).arg(-1)).compose(r -> {
      List<String> ids = new ArrayList<>(r.size());
      r.forEach(v -> ids.add(v.toString()));
      return documents(ids);
    }).map(docs -> {
      List<JsonObject> out = new ArrayList<>(docs.size());
      for (JsonObject d : docs) {
        // why: the index was read first; a task that finished (or expired) since is no longer unfinished
        if (d != null && !StoreStates.finished(d.getString("status"))) {
          out.add(d);
        }
      }
      return out;
    });
  }

  @Override
  public Future<List<JsonObject>> history(int limit, long beforeFinishSeq) {
    if (limit <= 0) {
      return Future.succeededFuture(new ArrayList<>());
    }
    Request r = Request.cmd(Command.ZREVRANGEBYSCORE).arg(keys.finished())
        .arg(beforeFinishSeq <= 0 ? "+inf" : "(" + beforeFinishSeq).arg("-inf")
        .arg("WITHSCORES").arg("LIMIT").arg(0).arg(limit);
    return send(r).compose(page -> {
      List<String> ids = new ArrayList<>();
      List<Long> seqs = new ArrayList<>();
      pairs(page, ids, seqs);
      return documents(ids).map(docs -> {
        List<JsonObject> out = new ArrayList<>(docs.size());
        for (int i = docs.size() - 1; i >= 0; i--) {
          JsonObject d = docs.get(i);
          if (d != null) { // why: removed by retention between the two reads
            out.add(d.put("finish_seq", seqs.get(i)));
          }
        }
        return out;
      });
    });
  }

  @Override
  public Future<TaskPage> tasks(TaskQuery q) {
    // why: finished tasks have one index per status, unfinished ones share one (their status changes often);
    // an index whose members may not match (the shared one for some of its statuses, or any index under a
    // node or type filter) is read a scan window deep, the others only as deep as the page
    boolean allUnfinished = StoreStates.UNFINISHED.stream().allMatch(q::wants);
    List<String> indexes = new ArrayList<>();
    boolean exact = q.byStatusOnly();
    for (String status : StoreStates.FINAL) {
      if (q.wants(status)) {
        indexes.add(keys.done(status));
      }
    }
    if (StoreStates.UNFINISHED.stream().anyMatch(q::wants)) {
      indexes.add(keys.unfinished());
      exact &= allUnfinished;
    }
    if (indexes.isEmpty()) {
      return Future.succeededFuture(TaskPage.empty());
    }
    int window = exact ? Math.min(q.limit(), MAX_SCAN) : MAX_SCAN;
    TaskPosition after = q.after();
    List<Request> reads = new ArrayList<>();
    for (String index : indexes) {
      if (after != null && after.id() != null) {
        // the cursor's own seq: its ties after its id, then the seqs beyond
        reads.add(range(index, q.newestFirst(), Long.toString(after.seq()), Long.toString(after.seq()), window));
      }
      String from = after == null ? (q.newestFirst() ? "+inf" : "-inf") : "(" + after.seq();
      reads.add(range(index, q.newestFirst(), from, q.newestFirst() ? "-inf" : "+inf", window));
    }
    return batch(reads).compose(replies -> {
      List<IndexMerge.Slice> slices = new ArrayList<>();
      int per = reads.size() / indexes.size();
      for (int i = 0; i < indexes.size(); i++) {
        slices.add(slice(replies.subList(i * per, (i + 1) * per), q, window));
      }
      IndexMerge.Candidates c = IndexMerge.merge(slices, q.newestFirst(), window);
      IndexMerge.Collector page = new IndexMerge.Collector(q);
      return collect(c.positions(), 0, Math.min(q.limit(), window), page).map(v -> page.page(c));
    });
  }

  /** ZRANGEBYSCORE (or ZREVRANGEBYSCORE) WITHSCORES from {@code from} to {@code to}, at most {@code max}. */
  private static Request range(String index, boolean newestFirst, String from, String to, int max) {
    return Request.cmd(newestFirst ? Command.ZREVRANGEBYSCORE : Command.ZRANGEBYSCORE).arg(index).arg(from).arg(to)
        .arg("WITHSCORES").arg("LIMIT").arg(0).arg(max);
  }

  /** One index's slice from its replies: the ties of the cursor's seq (when asked), then the seqs beyond. */
  private static IndexMerge.Slice slice(List<Response> replies, TaskQuery q, int window) {
    List<TaskPosition> out = new ArrayList<>();
    for (int r = 0; r < replies.size(); r++) {
      List<String> ids = new ArrayList<>();
      List<Long> seqs = new ArrayList<>();
      pairs(replies.get(r), ids, seqs);
      boolean filled = ids.size() >= window;
      for (int i = 0; i < ids.size(); i++) {
        TaskPosition p = new TaskPosition(seqs.get(i), ids.get(i));
        if (q.afterCursor(p)) {
          out.add(p);
        }
      }
      if (filled) {
        // why: this reply did not reach its end; what the next one read lies beyond it and must wait. (A seq
        // shared by more tasks than the window, all at or before the cursor, would lose the rest of its ties; a
        // seq is shared only by tasks of different manager runs, a handful at most.)
        return new IndexMerge.Slice(out, true);
      }
    }
    return new IndexMerge.Slice(out, false);
  }

  /** Reads the candidates' documents a page's worth at a time until the page is full or they are all read. */
  private Future<Void> collect(List<TaskPosition> positions, int from, int chunk, IndexMerge.Collector page) {
    if (from >= positions.size() || page.full()) {
      return Future.succeededFuture();
    }
    List<TaskPosition> part = positions.subList(from, Math.min(positions.size(), from + chunk));
    List<String> ids = new ArrayList<>(part.size());
    part.forEach(p -> ids.add(p.id()));
    return documents(ids).compose(docs -> {
      for (int i = 0; i < part.size(); i++) {
        if (page.offer(part.get(i), docs.get(i))) {
          return Future.succeededFuture();
        }
      }
      return collect(positions, from + chunk, chunk, page);
    });
  }

  @Override
  public Future<Long> highestSeq() {
    return send(Request.cmd(Command.GET).arg(keys.maxSeq())).map(r -> r == null ? 0L : r.toLong());
  }

  /** WITHSCORES answers flat ({@code id, score, …}) in RESP2 and as pairs in RESP3; reads both. */
  private static void pairs(Response page, List<String> ids, List<Long> scores) {
    if (page.size() > 0 && page.get(0).type() == ResponseType.MULTI) {
      page.forEach(p -> {
        ids.add(p.get(0).toString());
        scores.add((long) Double.parseDouble(p.get(1).toString()));
      });
      return;
    }
    for (int i = 0; i + 1 < page.size(); i += 2) {
      ids.add(page.get(i).toString());
      scores.add((long) Double.parseDouble(page.get(i + 1).toString()));
    }
  }

  /** The documents of these tasks in this order ({@code null} where gone), in one pipelined batch. */
  private Future<List<JsonObject>> documents(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(new ArrayList<>());
    }
    List<Request> chunks = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += READ_CHUNK) {
      Request r = Request.cmd(Command.HMGET).arg(keys.tasks());
      ids.subList(i, Math.min(ids.size(), i + READ_CHUNK)).forEach(r::arg);
      chunks.add(r);
    }
    return batch(chunks).map(replies -> {
      List<JsonObject> out = new ArrayList<>(ids.size());
      replies.forEach(reply -> reply.forEach(v -> out.add(json(v))));
      return out;
    });
  }

  @Override
  public Future<JsonObject> counters() {
    return send(Request.cmd(Command.GET).arg(keys.counters())).map(r -> {
      JsonObject j = json(r);
      return j == null ? new JsonObject() : j;
    });
  }

  @Override
  public Future<JsonObject> identity() {
    return send(Request.cmd(Command.GET).arg(keys.identity())).map(RedisClusterStore::json);
  }

  @Override
  public Future<JsonObject> saveIdentityIfAbsent(JsonObject id) {
    return send(Request.cmd(Command.SET).arg(keys.identity()).arg(id.toBuffer()).arg("NX"))
        .compose(r -> identity());
  }

  @Override
  public Future<JsonObject> secretsKey() {
    return send(Request.cmd(Command.GET).arg(keys.secretsKey())).map(RedisClusterStore::json);
  }

  @Override
  public Future<JsonObject> saveSecretsKeyIfAbsent(JsonObject key) {
    return send(Request.cmd(Command.SET).arg(keys.secretsKey()).arg(key.toBuffer()).arg("NX"))
        .compose(r -> secretsKey());
  }

  @Override
  public Future<List<JsonObject>> secrets() {
    return send(Request.cmd(Command.HVALS).arg(keys.secrets())).map(r -> {
      List<JsonObject> out = new ArrayList<>();
      if (r != null) {
        r.forEach(v -> out.add(new JsonObject(v.toBuffer())));
      }
      return out;
    });
  }

  @Override
  public Future<JsonObject> secret(String name) {
    return send(Request.cmd(Command.HGET).arg(keys.secrets()).arg(name)).map(RedisClusterStore::json);
  }

  @Override
  public Future<Void> saveSecret(JsonObject secret) {
    String name = secret.getString("name");
    if (name == null) {
      return Future.failedFuture(new IllegalArgumentException("a secret's document needs its name"));
    }
    return send(Request.cmd(Command.HSET).arg(keys.secrets()).arg(name).arg(secret.toBuffer())).mapEmpty();
  }

  @Override
  public Future<Boolean> deleteSecret(String name) {
    return send(Request.cmd(Command.HDEL).arg(keys.secrets()).arg(name)).map(r -> r != null && r.toInteger() > 0);
  }

  @Override
  public Future<List<JsonObject>> enrollments() {
    return send(Request.cmd(Command.HVALS).arg(keys.enrollments())).map(r -> {
      List<JsonObject> out = new ArrayList<>();
      if (r != null) {
        r.forEach(v -> out.add(new JsonObject(v.toBuffer())));
      }
      return out;
    });
  }

  @Override
  public Future<Void> saveEnrollment(JsonObject e) {
    return send(Request.cmd(Command.HSET).arg(keys.enrollments()).arg(e.getString("node_id")).arg(e.toBuffer()))
        .mapEmpty();
  }

  @Override
  public Future<Void> deleteEnrollment(String nodeId) {
    return send(Request.cmd(Command.HDEL).arg(keys.enrollments()).arg(nodeId)).mapEmpty();
  }

  private static JsonObject json(Response r) {
    return r == null ? null : new JsonObject(r.toBuffer());
  }

  // ---- leadership ------------------------------------------------------------------------------------

  @Override
  public Future<Boolean> tryLead(String managerId, Duration ttl) {
    if (managerId == null || managerId.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a manager id is needed to lead"));
    }
    self = managerId;
    Request r = Request.cmd(Command.EVALSHA).arg(RedisScripts.LEAD_SHA).arg(1).arg(keys.leader())
        .arg(managerId).arg(Math.max(1, ttl.toMillis()));
    return send(r).map(v -> v.toInteger() == 1);
  }

  @Override
  public Future<String> leader() {
    return send(Request.cmd(Command.GET).arg(keys.leader())).map(r -> r == null ? null : r.toString());
  }

  @Override
  public Future<Void> resign(String managerId) {
    Request r = Request.cmd(Command.EVALSHA).arg(RedisScripts.RESIGN_SHA).arg(1).arg(keys.leader())
        .arg(managerId);
    return send(r).mapEmpty();
  }

  // ---- health ----------------------------------------------------------------------------------------

  /** Writes a short-lived key: proves Redis answers and accepts writes (not read-only, not out of memory). */
  @Override
  public Future<Void> ping() {
    return send(Request.cmd(Command.SET).arg(keys.alive()).arg(clock.millis()).arg("PX").arg(60_000))
        .mapEmpty();
  }

  @Override
  public String describe() {
    return description;
  }

  /** The settings this store was made with. */
  public Settings settings() {
    return settings;
  }

  @Override
  public Future<Void> close() {
    Link l;
    synchronized (this) {
      closed = true;
      if (reconnectTimer >= 0) {
        vertx.cancelTimer(reconnectTimer);
        reconnectTimer = -1;
      }
      l = link;
      link = null;
      if (l != null) {
        l.dead = true; // why: its end handler must not report a lost connection or reconnect
      }
    }
    return l == null ? Future.succeededFuture() : l.client.close().recover(e -> Future.succeededFuture());
  }

  // ---- the connection --------------------------------------------------------------------------------

  private Future<Response> send(Request r) {
    Link l;
    try {
      l = current();
    } catch (StoreUnavailableException e) {
      return Future.failedFuture(e);
    }
    RedisConnection c = l.conn;
    // why: sending straight on a ready connection keeps the caller's order; composing would hop threads
    Future<Response> f = c != null ? c.send(r) : l.ready.compose(conn -> conn.send(r));
    return guard(l, f);
  }

  private Future<List<Response>> batch(List<Request> rs) {
    Link l;
    try {
      l = current();
    } catch (StoreUnavailableException e) {
      return Future.failedFuture(e);
    }
    RedisConnection c = l.conn;
    Future<List<Response>> f = c != null ? c.batch(rs) : l.ready.compose(conn -> conn.batch(rs));
    return guard(l, f);
  }

  /** The connection to use: the open one, one being opened, or a new one unless it is too early to retry. */
  private synchronized Link current() {
    if (closed) {
      throw new StoreUnavailableException(description + ": the store is closed");
    }
    if (link != null) {
      return link;
    }
    long wait = retryAtNanos - System.nanoTime();
    if (wait > 0) {
      throw new StoreUnavailableException(description + " is unavailable (" + reason(lastFailure)
          + "); next reconnection attempt in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms", lastFailure);
    }
    return open();
  }

  /** Starts a new connection; it is ready once the scripts are loaded. Holds the lock. */
  private Link open() {
    Link l = new Link(Redis.createClient(vertx, options));
    link = l;
    l.ready = l.client.connect()
        .compose(c -> {
          c.exceptionHandler(e -> lost(l, e));
          c.endHandler(v -> lost(l, new StoreUnavailableException("the connection was closed")));
          List<Request> setup = handshake(url);
          int first = setup.size();
          RedisScripts.ALL.forEach(s -> setup.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(s[0])));
          return c.batch(setup).map(replies -> {
            for (int i = 0; i < RedisScripts.ALL.size(); i++) {
              Response sha = replies.get(first + i);
              if (!RedisScripts.ALL.get(i)[1].equalsIgnoreCase(sha.toString())) {
                throw new IllegalStateException("Redis gave a script a different SHA-1 than expected");
              }
            }
            return c;
          });
        })
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onSuccess(c -> connected(l, c))
        .onFailure(e -> connectFailed(l, e));
    return l;
  }

  private void connected(Link l, RedisConnection c) {
    boolean wasDown;
    synchronized (this) {
      if (link != l || l.dead) {
        return;
      }
      l.conn = c;
      wasDown = lastFailure != null;
      lastFailure = null;
      backoffMs = 0;
    }
    if (wasDown) {
      LOG.info("redis store: connected again to {}", description);
    }
    checkDurability(c);
    indexEarlierTasks();
  }

  /**
   * Once per store, in the background: indexes by status the finished tasks an earlier heady saved before
   * those indexes existed, {@link #BACKFILL_CHUNK} per script run so Redis is never busy long. Resumes where
   * it stopped after a lost connection; a store that has done it (or began empty) skips it at once.
   */
  private void indexEarlierTasks() {
    synchronized (this) {
      if (indexing) {
        return;
      }
      indexing = true;
    }
    backfill(0);
  }

  private void backfill(long so) {
    Request r = Request.cmd(Command.EVALSHA).arg(RedisScripts.BACKFILL_SHA);
    String[] k = keys.backfillKeys();
    r.arg(k.length);
    for (String key : k) {
      r.arg(key);
    }
    send(r.arg(BACKFILL_CHUNK)).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("redis store: indexing earlier finished tasks by status stopped ({}); it resumes on the next"
            + " connection", reason(ar.cause()));
        synchronized (this) {
          indexing = false;
        }
      } else if (ar.result().toLong() > 0) {
        backfill(so + ar.result().toLong());
      } else if (so > 0) {
        LOG.info("redis store: indexed {} finished tasks of an earlier heady by status", so);
      }
    });
  }

  /**
   * Warns (once) when Redis would lose acknowledged writes: no AOF, or an AOF fsync policy other than
   * {@code always}. Why {@code always}: with {@code everysec}, Redis postpones writing the AOF while a
   * background fsync runs but still answers, so a write it acknowledged can vanish when the Redis process is
   * killed (the store's tests saw it in about one run in ten). Servers that forbid CONFIG are not checked.
   */
  private void checkDurability(RedisConnection c) {
    synchronized (this) {
      if (durabilityChecked) {
        return;
      }
      durabilityChecked = true;
    }
    c.send(Request.cmd(Command.CONFIG).arg("GET").arg("append*")).onSuccess(r -> {
      String aof = null;
      String fsync = null;
      for (int i = 0; i + 1 < r.size(); i += 2) {
        String k = r.get(i).toString();
        if (k.equals("appendonly")) {
          aof = r.get(i + 1).toString();
        } else if (k.equals("appendfsync")) {
          fsync = r.get(i + 1).toString();
        }
      }
      if ("no".equals(aof)) {
        LOG.warn("redis store: {} runs without an append-only file: a Redis restart loses the cluster's state;"
            + " run it with 'appendonly yes' and 'appendfsync always'", description);
      } else if (fsync != null && !fsync.equals("always")) {
        LOG.warn("redis store: {} runs with 'appendfsync {}': a crash of Redis can lose writes heady was told"
            + " were saved; 'appendfsync always' keeps every acknowledged write", description, fsync);
      }
    });
  }

  private void connectFailed(Link l, Throwable e) {
    long delay;
    synchronized (this) {
      if (l.dead) {
        return;
      }
      l.dead = true;
      if (link == l) {
        link = null;
      }
      if (backoffMs == 0) {
        LOG.warn("redis store: cannot connect to {} ({}); retrying with backoff", description, reason(e));
      }
      backoffMs = backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
      delay = backoffMs;
      retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
      lastFailure = e;
      scheduleReconnect(delay);
    }
    l.client.close();
  }

  /** The connection dropped or stopped answering: forget it, fail what waits on it, reconnect at once. */
  private void lost(Link l, Throwable e) {
    synchronized (this) {
      if (l.dead) {
        return;
      }
      l.dead = true;
      if (link == l) {
        link = null;
      }
      lastFailure = e;
      retryAtNanos = 0;
      LOG.warn("redis store: lost the connection to {} ({}); reconnecting", description, reason(e));
      scheduleReconnect(0);
    }
    l.client.close();
  }

  /** Holds the lock. */
  private void scheduleReconnect(long delayMs) {
    if (closed || reconnectTimer >= 0) {
      return;
    }
    reconnectTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
      synchronized (this) {
        reconnectTimer = -1;
        if (!closed && link == null) {
          open();
        }
      }
    });
  }

  /** Bounds the operation by the timeout and turns failures into the store's exceptions. */
  private <T> Future<T> guard(Link l, Future<T> f) {
    return f.timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(e -> {
      if (e instanceof TimeoutException) {
        // why: a late answer means a hung server or a dead socket; everything behind it would wait too
        lost(l, new StoreUnavailableException("no answer within " + timeoutMs + " ms"));
        return Future.failedFuture(new StoreUnavailableException(description + " did not answer within "
            + timeoutMs + " ms", e));
      }
      if (e instanceof StoreUnavailableException || e instanceof IllegalArgumentException) {
        return Future.failedFuture(e);
      }
      String msg = String.valueOf(e.getMessage());
      if (msg.startsWith("NOTLEADER")) {
        String who = msg.length() > 10 ? msg.substring(10).trim() : "-";
        return Future.failedFuture(new NotLeaderException(self, who.equals("-") ? null : who));
      }
      if (msg.startsWith("NOSCRIPT")) {
        // why: someone flushed the script cache; a new connection loads the scripts again
        lost(l, new StoreUnavailableException("Redis forgot heady's scripts (SCRIPT FLUSH?)"));
      }
      return Future.failedFuture(new StoreUnavailableException(description + " failed: " + reason(e), e));
    });
  }

  private static String reason(Throwable e) {
    if (e == null) {
      return "unknown";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
