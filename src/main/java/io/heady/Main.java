package io.heady;

import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.ConfigLoader;
import io.heady.common.config.Keys;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one entry point: {@code --role=manager}, {@code --role=agent}, or a CLI command. A bad flag or value
 * exits non-zero with one line naming it.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.print(ConfigLoader.help());
      System.exit(2);
    }
    boolean help = Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
    if (help && (args[0].startsWith("-") || isServerInvocation(args))) {
      System.out.print(ConfigLoader.help());
      System.exit(0);
    }
    if (!isServerInvocation(args)) {
      System.exit(io.heady.client.cli.Cli.run(args));
    }
    Config cfg;
    try {
      cfg = new ConfigLoader(System.getenv(), args).load();
      Logging.level(cfg.string(Keys.LOG_LEVEL));
    } catch (ConfigException e) {
      System.err.println("heady: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      if (cfg.role().equals("manager")) {
        io.heady.manager.ManagerMain.start(cfg);
      } else {
        io.heady.agent.AgentMain.start(cfg);
      }
    } catch (ConfigException e) {
      System.err.println("heady: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      System.err.println("heady: the " + cfg.role() + " could not start: " + root.getMessage());
      org.slf4j.LoggerFactory.getLogger(Main.class).debug("start failure", e);
      System.exit(1);
    }
  }

  /**
   * Whether the arguments start a manager or an agent rather than run a CLI command. A CLI command word
   * ({@code heady token create x --access viewer}) always means the CLI, whatever options follow, so a
   * command's own options can never start a server.
   */
  static boolean isServerInvocation(String[] args) {
    String word = commandWord(args);
    if (word != null && io.heady.client.cli.Cli.isCommand(word)) {
      return false;
    }
    for (String a : args) {
      if (a.startsWith("--role")) {
        return true;
      }
    }
    String env = System.getenv("HEADY_ROLE");
    return env != null && !env.isBlank() && (args.length == 0 || args[0].startsWith("--"));
  }

  /** The first argument that is neither an option nor the value of the CLI's --url or --token. */
  static String commandWord(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--url") || a.equals("--token")) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  /** Lower-case command names. */
  static String norm(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
