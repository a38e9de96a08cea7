package io.heady.agent.link;

import io.heady.common.tls.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** The manager over its documented HTTP endpoints, with the join token. */
public final class HttpLink implements ManagerLink {
  private final WebClient client;
  private final String base;
  private final String token;
  private final long timeoutMs;

  public HttpLink(Vertx vertx, String managerUrl, String token, long timeoutMs) {
    this(vertx, managerUrl, token, timeoutMs, ClientTls.DEFAULT);
  }

  /** With how to trust the manager's certificate when its URL is {@code https://}. */
  public HttpLink(Vertx vertx, String managerUrl, String token, long timeoutMs, ClientTls tls) {
    this.client = WebClient.create(vertx, tls.apply(new WebClientOptions().setConnectTimeout((int) timeoutMs)
        .setKeepAlive(true).setUserAgent("heady-agent")));
    this.base = managerUrl.endsWith("/") ? managerUrl.substring(0, managerUrl.length() - 1) : managerUrl;
    this.token = token;
    this.timeoutMs = timeoutMs;
  }

  /** GET with the token, for the join document. */
  public Future<JsonObject> get(String path) {
    return client.getAbs(base + path).bearerTokenAuthentication(token).timeout(timeoutMs).send()
        .recover(t -> Future.failedFuture(new LinkException(0, null, "cannot reach the manager at " + base + ": "
            + describe(t))))
        .compose(HttpLink::decode);
  }

  private Future<JsonObject> post(String path, JsonObject body) {
    return client.postAbs(base + path).bearerTokenAuthentication(token).timeout(timeoutMs).sendJsonObject(body)
        .recover(t -> Future.failedFuture(new LinkException(0, null, "cannot reach the manager at " + base + ": "
            + describe(t))))
        .compose(HttpLink::decode);
  }

  /** A failure with its root cause, which says why TLS failed (an unpinned certificate, say). */
  static String describe(Throwable t) {
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
  public Future<JsonObject> complete(JsonObject completion) {
    return post("/api/cluster/tasks/complete", completion);
  }

  @Override
  public Future<JsonObject> deregister(JsonObject node) {
    return post("/api/cluster/nodes/deregister", node);
  }

  @Override
  public void progress(JsonObject progress) {
    post("/api/cluster/tasks/progress", progress);
  }

  @Override
  public String transport() {
    return "http";
  }
}
