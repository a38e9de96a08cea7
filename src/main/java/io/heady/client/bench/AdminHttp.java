package io.heady.client.bench;

import io.heady.common.tls.ClientTls;
import io.heady.common.tls.PinnedTrustManager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Blocking JSON calls to the manager with a token, for the slow parts of a run (readiness, node lists,
 * counters, the audit). The load itself goes through {@link LoadDriver}, which does not block.
 */
public final class AdminHttp {
  private final HttpClient http;
  private volatile String unreachable = "unreachable";
  private final String base;
  private final String token;

  /** An answer: its status and body parsed as JSON ({@code null} when it was not a JSON object). */
  public record Res(int status, JsonObject json) {
    public boolean ok() {
      return status / 100 == 2;
    }
  }

  public AdminHttp(String base, String token) {
    this(base, token, ClientTls.DEFAULT);
  }

  /** With a pinned manager certificate ({@code tls.pin()}), else the JVM trust store. */
  public AdminHttp(String base, String token, ClientTls tls) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
    if (tls.pin() != null) {
      b.sslContext(PinnedTrustManager.sslContext(tls.pin()));
    }
    this.http = b.build();
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  public String base() {
    return base;
  }

  public String token() {
    return token;
  }

  /** GET; status 0 when the manager could not be reached. */
  public Res get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Res post(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** GET that must answer 2xx with JSON, else an {@link IllegalStateException} naming the path. */
  public JsonObject getJson(String path) {
    Res r = get(path);
    if (!r.ok() || r.json() == null) {
      throw new IllegalStateException("GET " + path + " answered " + (r.status() == 0 ? "nothing (" + unreachable + ")"
          : r.status() + (r.json() == null ? "" : ": " + r.json().encode())));
    }
    return r.json();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** GET of a text body ({@code /metrics}); {@code null} unless the manager answered 2xx. */
  public String text(String path) {
    HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(base + path)).GET());
    return r != null && r.statusCode() / 100 == 2 ? r.body() : null;
  }

  private Res send(HttpRequest.Builder b) {
    HttpResponse<String> r = exchange(b);
    if (r == null) {
      return new Res(0, null);
    }
    JsonObject j = null;
    String body = r.body();
    if (body != null && body.startsWith("{")) {
      try {
        j = new JsonObject(body);
      } catch (RuntimeException notJson) {
        j = null;
      }
    }
    return new Res(r.statusCode(), j);
  }

  /** The answer, or {@code null} when the manager could not be reached (the reason kept for getJson). */
  private HttpResponse<String> exchange(HttpRequest.Builder b) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      // why: a refused certificate says why (both fingerprints) in the innermost cause; keep it for getJson
      unreachable = t.getMessage() == null ? "unreachable" : "unreachable: " + t.getMessage().lines().findFirst()
          .orElse("");
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
