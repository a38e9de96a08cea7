package io.heady.manager.store;

import io.heady.common.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis store's one connection: every command of the store goes through {@link #send} or {@link #batch}.
 *
 * <p><b>Order.</b> One connection, pipelined, so batches land in the order they were issued (with a pool, a
 * later batch could overtake an earlier one and a stale document win).
 *
 * <p><b>Outages.</b> Every operation is bounded by the timeout; it fails with {@link StoreUnavailableException},
 * never hangs. When the connection drops (or an answer is late, which drops it too, so nothing queues behind a
 * dead socket) the link reconnects by itself: at once, then with a doubling backoff up to the longest wait, on a
 * timer, whether or not anything is asked of it. Between attempts operations fail at once instead of each trying
 * to connect. Each new connection sends the URL's AUTH and SELECT and loads {@link RedisScripts#ALL} before it is
 * used, so a restarted Redis (with an empty script cache) needs nothing else.
 */
final class RedisLink {
  // why: the store's lines keep the store's logger, whichever of its parts writes them
  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterStore.class);
  /** The first wait after a failed connection attempt; each further failure doubles it. */
  static final long FIRST_BACKOFF_MS = 100;

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
  private final String url;
  private final String description;
  private final RedisOptions options;
  private final long timeoutMs;
  private final Backoff backoff;
  private final Supplier<String> owner;
  private volatile Consumer<RedisConnection> onConnected = c -> { };

  // guarded by this
  private Link link;
  private long retryAtNanos;
  private long backoffMs;
  private Throwable lastFailure;
  private long reconnectTimer = -1;
  private boolean closed;

  /**
   * A link that connects on first use.
   *
   * @param owner the manager the store writes for, or {@code null}: named in a {@link NotLeaderException}
   * @throws IllegalArgumentException when the URL is not a Redis URL
   */
  RedisLink(Vertx vertx, String url, Duration timeout, Duration maxBackoff, Supplier<String> owner) {
    this.vertx = vertx;
    this.url = url;
    this.description = RedisUrl.describe(url);
    RedisUrl.handshake(url); // why: fail now on a bad user or database, not on the first connection
    this.timeoutMs = timeout.toMillis();
    this.backoff = Backoff.doubling(FIRST_BACKOFF_MS, maxBackoff.toMillis());
    this.owner = owner;
    this.options = new RedisOptions()
        // why: the client gets only the address; AUTH and SELECT are ours (see RedisUrl.handshake), because a
        // failed AUTH inside the client's own handshake leaks the socket (vertx-redis-client #555), and we retry
        .setConnectionString(RedisUrl.endpoint(url))
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

  /** What to do with each new connection once it is ready (set before the first operation). */
  void onConnected(Consumer<RedisConnection> action) {
    this.onConnected = action;
  }

  /** {@code redis://host:port/db}, without the password. */
  String description() {
    return description;
  }

  /** One command. */
  Future<Response> send(Request r) {
    return on(c -> c.send(r));
  }

  /** Several commands in one pipelined round trip; the answers in the same order. */
  Future<List<Response>> batch(List<Request> rs) {
    return on(c -> c.batch(rs));
  }

  /** Runs an operation on the current connection, bounded by the timeout. */
  private <T> Future<T> on(Function<RedisConnection, Future<T>> op) {
    Link l;
    try {
      l = current();
    } catch (StoreUnavailableException e) {
      return Future.failedFuture(e);
    }
    RedisConnection c = l.conn;
    // why: sending straight on a ready connection keeps the caller's order; composing would hop threads
    Future<T> f = c != null ? op.apply(c) : l.ready.compose(op);
    return guard(l, f);
  }

  /** Closes the connection for good: later operations fail at once. */
  Future<Void> close() {
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
          List<Request> setup = RedisUrl.handshake(url);
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
    onConnected.accept(c);
  }

  private void connectFailed(Link l, Throwable e) {
    long delay;
    synchronized (this) {
      if (!forget(l, e)) {
        return;
      }
      if (backoffMs == 0) {
        LOG.warn("redis store: cannot connect to {} ({}); retrying with backoff", description, reason(e));
      }
      backoffMs = backoff.next(backoffMs);
      delay = backoffMs;
      retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
      scheduleReconnect(delay);
    }
    l.client.close();
  }

  /** The connection dropped or stopped answering: forget it, fail what waits on it, reconnect at once. */
  private void lost(Link l, Throwable e) {
    synchronized (this) {
      if (!forget(l, e)) {
        return;
      }
      retryAtNanos = 0;
      LOG.warn("redis store: lost the connection to {} ({}); reconnecting", description, reason(e));
      scheduleReconnect(0);
    }
    l.client.close();
  }

  /** Marks a failed link dead and no longer current; {@code false} when it was already. Holds the lock. */
  private boolean forget(Link l, Throwable e) {
    if (l.dead) {
      return false;
    }
    l.dead = true;
    if (link == l) {
      link = null;
    }
    lastFailure = e;
    return true;
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
        return Future.failedFuture(new NotLeaderException(owner.get(), who.equals("-") ? null : who));
      }
      if (msg.startsWith("NOSCRIPT")) {
        // why: someone flushed the script cache; a new connection loads the scripts again
        lost(l, new StoreUnavailableException("Redis forgot heady's scripts (SCRIPT FLUSH?)"));
      }
      return Future.failedFuture(new StoreUnavailableException(description + " failed: " + reason(e), e));
    });
  }

  /** A failure's message, or its class where it has none. */
  static String reason(Throwable e) {
    if (e == null) {
      return "unknown";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
