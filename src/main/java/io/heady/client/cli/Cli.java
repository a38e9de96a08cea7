package io.heady.client.cli;

import io.heady.client.ClientConfig;
import io.heady.client.HeadyException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The {@code heady} command line. Every failure is one line on stderr, {@code heady: …}, and an exit code:
 * 2 for a bad command line or configuration, 1 for an API refusal or an unreachable manager; a waited-for
 * task's own code otherwise. Never a stack trace (unless {@code HEADY_DEBUG=1}).
 */
public final class Cli {
  private Cli() {}

  /** Whether {@code word} names a command of {@code heady} ({@code run}, {@code token}, {@code help}, …). */
  public static boolean isCommand(String word) {
    for (Class<?> c : HeadyCommand.class.getAnnotation(CommandLine.Command.class).subcommands()) {
      CommandLine.Command sub = c.getAnnotation(CommandLine.Command.class);
      if (sub != null && sub.name().equals(word)) {
        return true;
      }
    }
    return false;
  }

  /** Runs one command; returns the process exit code. */
  public static int run(String[] args) {
    return run(args, CliContext.system());
  }

  /** Runs one command in the given context (tests). */
  public static int run(String[] args, CliContext ctx) {
    HeadyCommand top = new HeadyCommand(ctx);
    CommandLine cl = new CommandLine(top, new Factory(top));
    cl.setOut(ctx.out());
    cl.setErr(ctx.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setAbbreviatedSubcommandsAllowed(false);
    cl.setParameterExceptionHandler((ex, a) -> {
      String cmd = ex.getCommandLine().getCommandName();
      String hint = ex.getCommandLine() == cl ? "see 'heady help'" : "see 'heady help " + cmd + "'";
      ctx.err().println("heady: " + oneLine(usageMessage(ex, cl)) + " (" + hint + ")");
      ctx.err().flush();
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      ctx.err().println("heady: " + oneLine(describe(ex, top)));
      if (ctx.env().containsKey("HEADY_DEBUG")) {
        ex.printStackTrace(ctx.err());
      }
      ctx.err().flush();
      return ex instanceof HeadyException h && h.code().equals("BAD_CONFIG") ? ExitCodes.USAGE
          : ex instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.ERROR;
    });
    try {
      int rc = cl.execute(args);
      ctx.out().flush();
      ctx.err().flush();
      return rc;
    } catch (RuntimeException e) {
      // why: a failure outside a command (help rendering, a converter bug) must still be one line
      ctx.err().println("heady: " + oneLine(String.valueOf(e.getMessage())));
      ctx.err().flush();
      return ExitCodes.ERROR;
    }
  }

  private static String usageMessage(CommandLine.ParameterException ex, CommandLine top) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine() == top
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      return "unknown command '" + u.getUnmatched().get(0) + "'";
    }
    String m = ex.getMessage();
    return m == null ? "bad command line" : m;
  }

  /** The one line an exception becomes, with a hint where the fix is known. */
  static String describe(Exception ex, HeadyCommand top) {
    if (ex instanceof HeadyException h) {
      return describe(h, top);
    }
    if (ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    return "unexpected error: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": "
        + ex.getMessage()) + " (HEADY_DEBUG=1 shows the details)";
  }

  private static String describe(HeadyException e, HeadyCommand top) {
    ClientConfig c = null;
    try {
      c = top.config();
    } catch (HeadyException bad) {
      return bad.getMessage();
    }
    String m = e.getMessage();
    if (e.status() == 401) {
      if (c.token() == null) {
        return "no admin token: pass --token, set HEADY_TOKEN, or add \"token\" to ~/.config/heady/cli.json "
            + "(on the manager, 'heady token show' prints it)";
      }
      return m + " (token from " + c.tokenSource() + "; on the manager, 'heady token show' prints the admin token)";
    }
    if (e.status() == 403) {
      return m + " (token from " + c.tokenSource() + ")";
    }
    if (HeadyException.CONNECTION_FAILED.equals(e.code()) && "default".equals(c.urlSource())) {
      return m + "; set --url or HEADY_URL";
    }
    return m;
  }

  static String oneLine(String s) {
    String t = s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
    if (t.endsWith(";")) {
      t = t.substring(0, t.length() - 1);
    }
    return t.isEmpty() ? "failed" : Character.toLowerCase(t.charAt(0)) == t.charAt(0) ? t
        : t.substring(0, 1).toLowerCase(Locale.ROOT) + t.substring(1);
  }

  /** Gives every subcommand the top command (context, connection options). */
  private static final class Factory implements CommandLine.IFactory {
    private final HeadyCommand top;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(HeadyCommand top) {
      this.top = top;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == HeadyCommand.class) {
        return cls.cast(top);
      }
      if (SubCommand.class.isAssignableFrom(cls)) {
        K k = fallback.create(cls);
        ((SubCommand) k).top = top;
        return k;
      }
      return fallback.create(cls);
    }
  }
}
