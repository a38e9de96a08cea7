package io.heady.client;

import io.heady.common.tls.PinnedTrustManager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/** JSON over {@code java.net.http}: one request, its answer parsed, or a {@link HeadyException}. */
final class HttpApi {
  private final HttpClient http;
  private final String base;
  private final String token;
  private final Duration requestTimeout;

  /**
   * @param pin the SHA-256 of the one manager certificate to trust, or {@code null}: the JVM's trust store
   */
  HttpApi(String base, String token, Duration connectTimeout, Duration requestTimeout, byte[] pin) {
    // why: HTTP/1.1, so a plain-http manager is not sent an h2c upgrade and long SSE reads stay simple
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL);
    if (pin != null) {
      // why: the pin is checked in the TLS handshake, before a request (and its token) is sent; it replaces
      // the host name check (see PinnedTrustManager), so a self-signed manager answers at any address
      b.sslContext(PinnedTrustManager.sslContext(pin));
    }
    this.http = b.build();
    this.base = base;
    this.token = token;
    this.requestTimeout = requestTimeout;
  }

  String base() {
    return base;
  }

  /** Sends a request; returns the answer's JSON object (empty for an empty body). */
  JsonObject send(String method, String path, JsonObject body) {
    HttpRequest.Builder b = request(path).timeout(requestTimeout).header("Accept", "application/json");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    }
    HttpResponse<String> r = call(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw HeadyException.fromErrorBody(r.statusCode(), r.body());
    }
    String text = r.body();
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      throw HeadyException.fromErrorBody(r.statusCode(), text);
    }
  }

  /**
   * Opens a server-sent-event stream. Returns {@code null} when the answer is not an event stream (the manager
   * does not stream this resource), so the caller can fall back to polling.
   */
  HttpResponse<InputStream> openStream(String path, String lastEventId) {
    HttpRequest.Builder b = request(path).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> r = call(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (r.statusCode() == 200 && type.startsWith("text/event-stream")) {
      return r;
    }
    String body;
    try (InputStream in = r.body()) {
      body = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      body = "";
    }
    if (r.statusCode() / 100 != 2) {
      throw HeadyException.fromErrorBody(r.statusCode(), body);
    }
    return null;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("User-Agent", "heady-client");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private <T> HttpResponse<T> call(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(req, handler);
    } catch (HttpConnectTimeoutException e) {
      throw new HeadyException(HeadyException.CONNECTION_FAILED, "cannot reach the manager at " + base
          + " (connect timed out)", e);
    } catch (HttpTimeoutException e) {
      throw new HeadyException(HeadyException.TIMEOUT, "the manager at " + base + " did not answer within "
          + requestTimeout.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new HeadyException(HeadyException.CONNECTION_FAILED, "cannot reach the manager at " + base
          + " (connection refused; is it running, and is the URL right?)", e);
    } catch (IOException e) {
      throw new HeadyException(HeadyException.CONNECTION_FAILED, "cannot reach the manager at " + base + " ("
          + describe(e) + ")", e);
    } catch (UnresolvedAddressException e) {
      throw new HeadyException(HeadyException.CONNECTION_FAILED, "cannot reach the manager at " + base
          + " (unknown host)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeadyException(HeadyException.INTERRUPTED, "interrupted while talking to " + base, e);
    }
  }

  private static String describe(IOException e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    String m = t.getMessage();
    m = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    if (t instanceof java.security.cert.CertPathBuilderException) {
      m += "; a self-signed manager is trusted by its fingerprint: --manager-fingerprint or "
          + ClientConfig.FINGERPRINT_ENV + " (the manager prints it at start)";
    }
    return m;
  }
}
