package io.heady.manager.api;

import io.heady.common.http.HttpLimits;
import io.heady.common.tls.ServerTls;

/**
 * Where and how the API listens, and what it lets one client do.
 *
 * @param advertiseUrl the URL agents and installers reach this manager on; empty: derived from the request
 * @param tls HTTPS, or {@link ServerTls#NONE}
 * @param submitRate task submissions per second per client (token and address)
 * @param submitBurst submissions a client may make at once
 * @param maxDagTasks most tasks in one submission
 * @param http timeouts and connection limits of the server ({@code null}: the defaults); its body limit is
 *     {@code maxBodyBytes}
 */
public record ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth, String advertiseUrl,
    ServerTls tls, double submitRate, double submitBurst, int maxDagTasks, HttpLimits http) {

  public ApiSettings {
    http = (http == null ? HttpLimits.defaults(maxBodyBytes) : http).withMaxBody(maxBodyBytes);
  }

  /** With the default HTTP timeouts and connection limits. */
  public ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth, String advertiseUrl,
      ServerTls tls, double submitRate, double submitBurst, int maxDagTasks) {
    this(host, port, maxBodyBytes, openHealth, advertiseUrl, tls, submitRate, submitBurst, maxDagTasks, null);
  }

  /** Plain HTTP with the default limits. */
  public ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth, String advertiseUrl) {
    this(host, port, maxBodyBytes, openHealth, advertiseUrl, ServerTls.NONE, 5000, 20000, 10000);
  }

  /** Plain HTTP with the default limits, no advertised URL. */
  public ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth) {
    this(host, port, maxBodyBytes, openHealth, "");
  }
}
