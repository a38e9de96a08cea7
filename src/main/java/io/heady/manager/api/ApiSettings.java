package io.heady.manager.api;

import io.heady.common.config.Config;
import io.heady.common.config.Keys;
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
  private static final Config DEFAULTS = Config.defaults("manager");

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
    this(host, port, maxBodyBytes, openHealth, advertiseUrl, ServerTls.NONE, DEFAULTS.integer(Keys.SUBMIT_RATE),
        DEFAULTS.integer(Keys.SUBMIT_BURST), DEFAULTS.integer(Keys.MAX_DAG_TASKS));
  }

  /** From the manager's flags: where it listens, whom it lets do how much. */
  public static ApiSettings from(Config cfg, ServerTls tls) {
    return new ApiSettings(cfg.string(Keys.HOST), cfg.integer(Keys.PORT_MANAGER),
        cfg.longValue(Keys.MAX_BODY_KB) * 1024, cfg.bool(Keys.OPEN_HEALTH), cfg.string(Keys.ADVERTISE_URL), tls,
        cfg.integer(Keys.SUBMIT_RATE), cfg.integer(Keys.SUBMIT_BURST), cfg.integer(Keys.MAX_DAG_TASKS),
        HttpLimits.fromConfig(cfg));
  }

  /** Plain HTTP with the default limits, no advertised URL. */
  public ApiSettings(String host, int port, long maxBodyBytes, boolean openHealth) {
    this(host, port, maxBodyBytes, openHealth, "");
  }
}
