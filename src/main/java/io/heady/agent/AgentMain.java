package io.heady.agent;

import io.heady.agent.identity.NodeIdentity;
import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.Keys;
import io.heady.common.protocol.Fields;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the agent role. It needs only the manager's URL and the join token: it asks the manager for the
 * cluster's name and members, joins (event bus) or stays on HTTP, then registers and heartbeats. SIGTERM
 * stops it gracefully: no new work, running tasks finish (up to the grace), results reported, deregistered.
 */
public final class AgentMain {
  private AgentMain() {}

  public static AgentRuntime start(Config cfg) throws Exception {
    AgentRuntime.Settings s = settings(cfg);
    AgentRuntime rt = new AgentRuntime(cfg, s);
    rt.start();
    Runtime.getRuntime().addShutdownHook(new Thread(rt::shutdown, "heady-agent-shutdown"));
    return rt;
  }

  static AgentRuntime.Settings settings(Config cfg) throws Exception {
    java.util.List<String> managers = new java.util.ArrayList<>();
    for (String item : cfg.list(Keys.MANAGER)) {
      for (String m : item.split(",")) {
        if (!m.isBlank()) {
          managers.add(m.trim());
        }
      }
    }
    if (managers.isEmpty()) {
      throw new ConfigException("--manager is required (or set HEADY_MANAGER_URL)");
    }
    for (String m : managers) {
      if (!m.matches("https?://[^\\s/,]+(:[0-9]+)?/?")) {
        throw new ConfigException("--manager: '" + m + "' is not a manager URL like http://192.168.1.10:7070");
      }
    }
    String managerUrl = String.join(",", managers);
    String token = NodeIdentity.joinToken(cfg.string(Keys.TOKEN), cfg.string(Keys.TOKEN_FILE));
    String nodeId = cfg.string(Keys.NODE_ID);
    if (nodeId.isBlank()) {
      nodeId = defaultNodeId();
    }
    if (!Fields.ID.matcher(nodeId).matches()) {
      throw new ConfigException("--node-id: '" + nodeId + "' must match [A-Za-z0-9._-]{1,64}");
    }
    if (Fields.RESERVED_NODE_IDS.contains(nodeId)) {
      throw new ConfigException("--node-id: '" + nodeId + "' is reserved (" + String.join(", ",
          new java.util.TreeSet<>(Fields.RESERVED_NODE_IDS)) + "); choose another");
    }
    String name = cfg.string(Keys.NAME).isBlank() ? nodeId : cfg.string(Keys.NAME);
    if (name.length() > 128 || name.chars().anyMatch(Character::isISOControl)) {
      throw new ConfigException("--name: at most 128 characters, no control characters");
    }
    String transport = cfg.string(Keys.TRANSPORT);
    String tunnel = cfg.string(Keys.TUNNEL_URL);
    if (!tunnel.isBlank() && !tunnel.matches("https?://[^\\s]+")) {
      throw new ConfigException("--tunnel-url: '" + tunnel + "' is not an http(s) URL");
    }
    Path dataDir = cfg.path(Keys.DATA_DIR);
    Files.createDirectories(dataDir.resolve("logs"));
    return new AgentRuntime.Settings(managerUrl, token, nodeId, name, transport, tunnel, dataDir,
        cfg.labels(Keys.LABEL), cfg.integer(Keys.MAX_CONCURRENT), cfg.integer(Keys.PORT_AGENT),
        cfg.longValue(Keys.SHUTDOWN_GRACE_SEC) * 1000);
  }

  static String defaultNodeId() {
    String h;
    try {
      h = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      h = System.getenv().getOrDefault("HOSTNAME", "node");
    }
    h = h.replaceAll("[^A-Za-z0-9._-]", "-");
    return h.length() > 64 ? h.substring(0, 64) : h;
  }
}
