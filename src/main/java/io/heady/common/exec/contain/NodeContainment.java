package io.heady.common.exec.contain;

import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.Keys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's containment at start, the same for an agent and the manager's local executor: the task user from
 * {@code --run-as}/{@code --task-users} (a bad or missing user stops the start with one clear line), the data dir
 * closed to tasks, then the strongest confinement this machine allows. Logs what it found and why a stronger
 * method was not used. Blocking; call it before the node takes work.
 */
public final class NodeContainment {
  private static final Logger LOG = LoggerFactory.getLogger(NodeContainment.class);

  private NodeContainment() {}

  /**
   * @param nodeId names the node's control groups
   * @param dataDir the node's data dir: keys, tokens, other tasks' logs
   * @throws ConfigException when the task user cannot be used
   */
  public static Containment start(Config cfg, String nodeId, Path dataDir) {
    boolean root = Containment.root();
    String self = System.getProperty("user.name", "?");
    TaskUser user = TaskUser.configure(root, self, cfg.string(Keys.RUN_AS), cfg.list(Keys.TASK_USERS),
        UserLookup.system());
    try {
      List<Path> fixed = DataDirGuard.secure(dataDir);
      if (!fixed.isEmpty()) {
        LOG.info("closed {} path(s) of {} to other users (group and others had rights): {}", fixed.size(), dataDir,
            fixed.size() <= 5 ? fixed : fixed.subList(0, 5) + " …");
      }
    } catch (IOException e) {
      throw new ConfigException("--data-dir " + dataDir + ": cannot make it private to this node (" + e.getMessage()
          + ")");
    }
    Containment.Detected d = Containment.detect(nodeId, user);
    var cap = d.containment().capability();
    LOG.info("tasks are contained with {} and run as {}{}", cap.method(), cap.user(),
        cap.note() == null ? "" : " (" + cap.note() + ")");
    if (!d.tried().isEmpty()) {
      LOG.debug("stronger containment not used here: {}", d.tried());
    }
    return d.containment();
  }
}
