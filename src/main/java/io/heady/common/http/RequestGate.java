package io.heady.common.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing is spent on a request before its caller is known. One gate per HTTP server:
 *
 * <ul>
 *   <li>{@link #createServer} caps the connections of one client address, pauses every request that declares a body
 *       (so no body byte is read until a route asks for it), and closes connections that send no whole request
 *       head within the head timeout, that stay idle between requests for the idle timeout, or whose body has
 *       not arrived within the body timeout. A long answer (an event stream, a log follow) is not idle.
 *   <li>{@link #guard} is the first handler of every route: it runs the route's {@link Check} on the head
 *       alone, refuses (401, 403) without reading the body, refuses a body declared as anything but JSON (415,
 *       {@link JsonMediaType}), and only then reads the body, with the full limit for a caller with a valid
 *       credential and a few KB for one without.
 *   <li>{@link #first} is the first handler of the router: an answer given while a body is still unread (a
 *       refusal, 404, 413) reads at most the anonymous limit of it from a caller without a credential, then
 *       closes the connection ({@code Connection: close}); a caller with one may finish sending.
 * </ul>
 *
 * <p>The check is injected per route, so each server decides what a valid credential is (tokens, roles,
 * node credentials) while the order of the work stays the same everywhere.
 */
public final class RequestGate {
  /** Decides from a request's head (method, path, headers, query), never its body, whether it may go on. */
  @FunctionalInterface
  public interface Check {
    Verdict check(RoutingContext rc);
  }

  /** Where the gate leaves the body limit it applied to a request, in bytes (for a 413's message). */
  public static final String BODY_LIMIT = "heady.gate.body-limit";
  private static final String TRUSTED = "heady.gate.trusted";
  private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

  private final Vertx vertx;
  private final HttpLimits limits;
  private final String realm;
  private final Clock clock;
  private final ConnectionRules rules;
  private final AddressCounts perAddress;
  private final BodyHandler fullBody;
  private final BodyHandler anonymousBody;
  private final Map<HttpConnection, Conn> conns = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private long sweeper = -1;

  /** One open connection as the gate sees it. */
  private static final class Conn {
    final String address;
    final Instant openedAt;
    volatile HttpServerRequest request;
    volatile Instant headAt;
    volatile Instant idleSince;

    Conn(String address, Instant openedAt) {
      this.address = address;
      this.openedAt = openedAt;
    }
  }

  /**
   * @param realm the realm of a 401's {@code WWW-Authenticate} ({@code heady}, {@code heady-node})
   * @param clock the time the timeouts are measured with
   */
  public RequestGate(Vertx vertx, HttpLimits limits, String realm, Clock clock) {
    this.vertx = vertx;
    this.limits = limits;
    this.realm = realm;
    this.clock = clock;
    this.rules = new ConnectionRules(limits);
    this.perAddress = new AddressCounts(limits.maxConnectionsPerAddress());
    this.fullBody = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
    this.anonymousBody = BodyHandler.create(false).setBodyLimit(limits.anonymousBodyBytes());
  }

  public HttpLimits limits() {
    return limits;
  }

  /**
   * Creates a server behind the gate that hands every admitted request to {@code router}. Call once, on the
   * event loop of the verticle that will listen; {@link #close} stops the timeouts. The server speaks
   * HTTP/1.1 only.
   */
  public HttpServer createServer(HttpServerOptions options, Handler<HttpServerRequest> router) {
    // why: with cleartext HTTP/2 or ALPN a connection is set up only once its first bytes say which protocol,
    // so one that sends nothing would never be seen (nor timed out); and streams would share a connection
    HttpServer server = vertx.createHttpServer(new HttpServerOptions(options).setHttp2ClearTextEnabled(false)
        .setUseAlpn(false));
    server.connectionHandler(this::opened);
    server.requestHandler(req -> {
      if (head(req)) {
        router.handle(req);
      }
    });
    if (sweeper < 0) {
      sweeper = vertx.setPeriodic(limits.sweepPeriod().toMillis(), id -> sweep());
    }
    return server;
  }

  /** Stops looking for timeouts (the verticle stops; its server closes). */
  public void close() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
      sweeper = -1;
    }
  }

  /**
   * The router's first handler (mount it before every route): an answer that leaves a declared body unread
   * ends the connection, after reading at most the anonymous limit from a caller without a credential.
   */
  public Handler<RoutingContext> first() {
    return rc -> {
      HttpServerRequest req = rc.request();
      if (declaresBody(req)) {
        rc.addHeadersEndHandler(v -> {
          if (!req.isEnded() && !trusted(rc)) {
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
          }
        });
      }
      rc.addEndHandler(ar -> answered(rc));
      rc.next();
    };
  }

  /**
   * A route's first handler: {@code check} on the head; a refusal is answered at once, without reading the
   * body; an admitted request's body is then read with its caller's limit (413 above it) before the route's
   * next handler runs.
   */
  public Handler<RoutingContext> guard(Check check) {
    return rc -> {
      Verdict v = check.check(rc);
      if (!v.admitted()) {
        refuse(rc, v);
        return;
      }
      long limit = v.authenticated() ? limits.maxBodyBytes() : limits.anonymousBodyBytes();
      rc.put(BODY_LIMIT, limit);
      if (v.authenticated()) {
        rc.put(TRUSTED, Boolean.TRUE);
      }
      // why: every body here is JSON; refused on the head, so a form is never decoded as one (see JsonMediaType)
      String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
      String notJson = declaresBody(rc.request()) ? JsonMediaType.refusal(type) : null;
      if (notJson != null) {
        refuse(rc, Verdict.refuse(415, "UNSUPPORTED_MEDIA_TYPE", notJson), new JsonObject()
            .put("expected", JsonMediaType.EXPECTED).put("received", type.length() > 200 ? type.substring(0, 200)
                : type));
        return;
      }
      if (rc.request().isEnded()) {
        rc.next();
      } else {
        (v.authenticated() ? fullBody : anonymousBody).handle(rc);
      }
    };
  }

  /** Answers a refusal in heady's error shape (with {@code WWW-Authenticate} for a 401). */
  public void refuse(RoutingContext rc, Verdict v) {
    refuse(rc, v, new JsonObject());
  }

  private void refuse(RoutingContext rc, Verdict v, JsonObject details) {
    HttpServerResponse res = rc.response();
    if (res.ended() || res.closed()) {
      return;
    }
    if (v.status() == 401) {
      res.putHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
    }
    res.setStatusCode(v.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error(v.code(), v.message(), details).encode());
  }

  /** The body limit the gate applied to this request, or {@code fallback} when it applied none. */
  public static long bodyLimit(RoutingContext rc, long fallback) {
    Object v = rc.get(BODY_LIMIT);
    return v instanceof Long l ? l : fallback;
  }

  /** Open connections behind this gate (for tests and logs). */
  public int openConnections() {
    return conns.size();
  }

  /** Connections closed at once because their address held the most already. */
  public long refusedConnections() {
    return refused.get();
  }

  /** Connections closed for a head, body or idle timeout. */
  public long timedOutConnections() {
    return timedOut.get();
  }

  // ---- connections --------------------------------------------------------------------------------------

  private void opened(HttpConnection conn) {
    String address = address(conn.remoteAddress());
    if (!perAddress.tryAcquire(address)) {
      if (refused.incrementAndGet() % 1000 == 1) {
        LOG.warn("{} holds {} connections already (--max-connections-per-address); closing more ({} so far)",
            address, limits.maxConnectionsPerAddress(), refused.get());
      }
      conn.close();
      return;
    }
    conns.put(conn, new Conn(address, clock.instant()));
    conn.closeHandler(v -> {
      if (conns.remove(conn) != null) {
        perAddress.release(address);
      }
    });
  }

  /** A request head arrived: remember it; hold its body until a route reads it. False: do not serve it. */
  private boolean head(HttpServerRequest req) {
    Conn c = conns.get(req.connection());
    if (c == null) {
      req.connection().close(); // a connection refused above, or one that is closing
      return false;
    }
    c.request = req;
    c.headAt = clock.instant();
    c.idleSince = null;
    if (declaresBody(req)) {
      req.pause();
    }
    return true;
  }

  /** An answer ended: the connection is idle from now, and a body nobody read is dealt with. */
  private void answered(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    Conn c = conns.get(req.connection());
    if (c != null && c.request == req) {
      c.idleSince = clock.instant();
    }
    if (!declaresBody(req) || req.isEnded()) {
      return;
    }
    if (trusted(rc)) {
      req.resume(); // why: a caller with a credential may finish sending (discarded); the body timeout bounds it
    } else {
      drainThenClose(req);
    }
  }

  /**
   * Reads (and drops) at most the anonymous limit of an unread body, then closes the connection; a body
   * announced larger than that is not read at all.
   */
  private void drainThenClose(HttpServerRequest req) {
    HttpConnection conn = req.connection();
    long cap = limits.anonymousBodyBytes();
    if (req.bytesRead() > cap || contentLength(req) > cap) {
      conn.close();
      return;
    }
    // why: reading a small rest first lets a well-behaved client see the answer instead of a reset
    req.exceptionHandler(e -> conn.close());
    req.handler(b -> {
      if (req.bytesRead() > cap) {
        conn.close();
      }
    });
    req.endHandler(v -> conn.close());
    req.resume();
  }

  private void sweep() {
    Instant now = clock.instant();
    conns.forEach((conn, c) -> {
      HttpServerRequest r = c.request;
      boolean bodyPending = r != null && declaresBody(r) && !r.isEnded();
      boolean responding = r != null && !r.response().ended() && !r.response().closed();
      switch (rules.decide(new ConnectionRules.Seen(c.openedAt, c.headAt, bodyPending, responding, c.idleSince),
          now)) {
        case START_IDLE -> c.idleSince = now;
        case CLOSE_NO_HEAD, CLOSE_IDLE -> {
          timedOut.incrementAndGet();
          conn.close();
        }
        case CLOSE_SLOW_BODY -> {
          timedOut.incrementAndGet();
          slowBody(conn, r);
        }
        default -> { }
      }
    });
  }

  private void slowBody(HttpConnection conn, HttpServerRequest r) {
    HttpServerResponse res = r.response();
    if (res.headWritten() || res.ended() || res.closed()) {
      conn.close();
      return;
    }
    res.setStatusCode(408).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(error("REQUEST_TIMEOUT", "the request body did not arrive within "
            + limits.bodyTimeout().toSeconds() + " s").encode())
        .onComplete(ar -> conn.close());
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private static boolean trusted(RoutingContext rc) {
    return Boolean.TRUE.equals(rc.get(TRUSTED));
  }

  /** Whether a request announces a body (a length above 0, or chunks). */
  static boolean declaresBody(HttpServerRequest r) {
    if (r.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return true;
    }
    String cl = r.getHeader(HttpHeaders.CONTENT_LENGTH);
    return cl != null && !cl.trim().equals("0");
  }

  /** The announced body length, or -1 (chunked, absent or not a number). */
  static long contentLength(HttpServerRequest r) {
    String cl = r.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return cl == null ? -1 : Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String address(SocketAddress a) {
    if (a == null) {
      return "?";
    }
    return a.hostAddress() != null ? a.hostAddress() : a.toString();
  }

  /** heady's error shape. */
  static JsonObject error(String code, String message) {
    return error(code, message, new JsonObject());
  }

  static JsonObject error(String code, String message, JsonObject details) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("details", details));
  }
}
