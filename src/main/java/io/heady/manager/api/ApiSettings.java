package io.heady.manager.api;

import io.heady.common.tls.ServerTls;

/**
 * Where and how the API listens, and what it lets one client do.
 *
 * @param tls HTTPS, or {@link ServerTls#NONE}
 * @param submitRate task submissions per second per client (token and address)
 * @param submitBurst submissions a client may make at once
 * @param maxDagTasks most tasks in one submission
 */
public record ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth, ServerTls tls,
    double submitRate, double submitBurst, int maxDagTasks) {

  /** Plain HTTP with the default limits. */
  public ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth) {
    this(host, port, maxBodyBytes, openHealth, ServerTls.NONE, 5000, 20000, 10000);
  }
}
