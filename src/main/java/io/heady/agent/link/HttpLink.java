package io.heady.agent.link;

import io.heady.common.identity.Seal;
import io.heady.common.tls.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The manager over its documented HTTP endpoints, every request sealed with the node's pair key
 * ({@code Authorization: Heady …}, see {@link Seal}).
 */
public final class HttpLink implements ManagerLink {
  private final WebClient client;
  private final java.util.List<String> bases = new java.util.ArrayList<>();
  private final Seal seal;
  private final long timeoutMs;
  private volatile int current;

  /** @param managerUrls one manager URL, or several comma-separated (a leader and its standbys) */
  public HttpLink(Vertx vertx, String managerUrls, Seal seal, long timeoutMs) {
    this(vertx, managerUrls, seal, timeoutMs, ClientTls.DEFAULT);
  }

  /** With how to trust the managers' certificates when their URLs are {@code https://}. */
  public HttpLink(Vertx vertx, String managerUrls, Seal seal, long timeoutMs, ClientTls tls) {
    this.client = WebClient.create(vertx, tls.apply(new WebClientOptions().setConnectTimeout((int) timeoutMs)
        .setKeepAlive(true).setUserAgent("heady-agent")));
    for (String u : managerUrls.split(",")) {
      String b = u.trim();
      bases.add(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    }
    this.seal = seal;
    this.timeoutMs = timeoutMs;
  }

  /** A sealed GET, for the join document. */
  public Future<JsonObject> get(String path) {
    return withFailover(base -> client.getAbs(base + path).putHeader("Authorization",
        seal.header("GET", signedPath(base, path), new byte[0], Seal.MANAGER)).timeout(timeoutMs).send(),
        bases.size());
  }

  private Future<JsonObject> post(String path, JsonObject body) {
    Buffer b = body.toBuffer();
    return withFailover(base -> client.postAbs(base + path).putHeader("Authorization",
        seal.header("POST", signedPath(base, path), b.getBytes(), Seal.MANAGER))
        .putHeader("Content-Type", "application/json").timeout(timeoutMs).sendBuffer(b), bases.size());
  }

  /** The path the manager receives (a base URL may carry a path of its own). */
  private static String signedPath(String base, String path) {
    String p = java.net.URI.create(base + path).getRawPath();
    return p == null || p.isEmpty() ? path : p;
  }

  /**
   * Sends to the manager that answered last; an unreachable manager or a standby (503 NOT_LEADER) sends the
   * request on to the next URL, once round the list.
   */
  private Future<JsonObject> withFailover(java.util.function.Function<String, Future<HttpResponse<Buffer>>> send,
      int triesLeft) {
    int at = current;
    String base = bases.get(at % bases.size());
    return send.apply(base)
        .recover(t -> Future.failedFuture(new LinkException(0, null, "cannot reach the manager at " + base + ": "
            + describe(t))))
        .compose(HttpLink::decode)
        .recover(e -> {
          boolean move = e instanceof LinkException le && (le.status() == 0 || "NOT_LEADER".equals(le.code()));
          if (move && triesLeft > 1) {
            current = (at + 1) % bases.size();
            return withFailover(send, triesLeft - 1);
          }
          return Future.failedFuture(e);
        });
  }

  /** A failure with its root cause, which says why TLS failed (an unpinned certificate, say). */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + ": " + root.getMessage();
  }

  static Future<JsonObject> decode(HttpResponse<Buffer> r) {
    JsonObject body;
    try {
      body = r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return Future.failedFuture(new LinkException(r.statusCode(), null, "the manager answered "
          + r.statusCode() + " with a body that is not JSON"));
    }
    if (r.statusCode() >= 200 && r.statusCode() < 300) {
      return Future.succeededFuture(body);
    }
    JsonObject err = body.getJsonObject("error", new JsonObject());
    return Future.failedFuture(new LinkException(r.statusCode(), err.getString("code"),
        err.getString("message", "the manager answered " + r.statusCode())));
  }

  @Override
  public Future<JsonObject> register(JsonObject registration) {
    return post("/api/cluster/nodes/register", registration);
  }

  @Override
  public Future<JsonObject> heartbeat(JsonObject heartbeat) {
    return post("/api/cluster/nodes/heartbeat", heartbeat);
  }

  @Override
  public Future<JsonObject> report(JsonObject report) {
    return post("/api/cluster/tasks/report", report);
  }

  @Override
  public Future<JsonObject> deregister(JsonObject node) {
    return post("/api/cluster/nodes/deregister", node);
  }

  @Override
  public String transport() {
    return "http";
  }
}
