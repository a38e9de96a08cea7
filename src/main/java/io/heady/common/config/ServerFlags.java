package io.heady.common.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Reads a server's command line ({@code --role=manager|agent} and every key of {@link Keys}) with picocli, the
 * parser the {@code heady} command line uses too, so heady has one way of reading flags. The options are made
 * from {@link Keys}: {@code --name=value}, {@code --name value} and a bare {@code --name} (true for a boolean;
 * {@link ConfigLoader} refuses it for the rest), each as often as given. Whether a flag belongs to the role,
 * and whether its value is valid, {@link ConfigLoader} decides.
 */
final class ServerFlags {
  /** The value of a flag given bare; picocli hands it back for an option given without a value. */
  private static final String BARE = "\0bare";
  /** Never typed (a NUL cannot be in an argument), so {@code --} is refused as any other stray argument is. */
  private static final String NO_END_OF_OPTIONS = "\0";
  private static final Pattern UNKNOWN = Pattern.compile("Unknown option: '([^']*)'");

  private ServerFlags() {}

  /**
   * The flags as given, by name in order of appearance, each with its values in order ({@code null} for a bare
   * flag). Throws {@link ConfigException} naming an unknown flag or a stray argument.
   */
  static Map<String, List<String>> parse(String[] args) {
    CommandLine cl = new CommandLine(spec());
    cl.setExpandAtFiles(false);
    cl.setEndOfOptionsDelimiter(NO_END_OF_OPTIONS);
    // why: "--port --bogus" names an unknown flag, it does not set the port to "--bogus"
    cl.setUnmatchedOptionsAllowedAsOptionParameters(false);
    ParseResult parsed;
    try {
      parsed = cl.parseArgs(args);
    } catch (CommandLine.UnmatchedArgumentException e) {
      // why: picocli lists nothing as unmatched when the stray argument stood where a value could have
      Matcher m = UNKNOWN.matcher(String.valueOf(e.getMessage()));
      throw unmatched(!e.getUnmatched().isEmpty() ? e.getUnmatched().get(0) : m.find() ? m.group(1) : "");
    } catch (CommandLine.ParameterException e) {
      throw new ConfigException(e.getMessage() + " (see --help)");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (OptionSpec o : parsed.matchedOptions()) {
      List<String> values = new ArrayList<>();
      for (String v : o.<List<String>>getValue()) {
        values.add(BARE.equals(v) ? null : v);
      }
      out.put(o.longestName().substring(2), values);
    }
    return out;
  }

  private static ConfigException unmatched(String arg) {
    if (arg.startsWith("--") && arg.length() > 2) {
      int eq = arg.indexOf('=');
      return new ConfigException("unknown flag " + (eq > 0 ? arg.substring(0, eq) : arg) + " (see --help)");
    }
    return new ConfigException("unexpected argument '" + arg + "' (flags look like --name=value; see --help)");
  }

  /** One option per flag name any role reads ({@code --port} and {@code --admin-token} serve both roles). */
  private static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create();
    Set<String> names = new LinkedHashSet<>();
    Keys.all().forEach(k -> names.add(k.name()));
    for (String name : names) {
      spec.addOption(OptionSpec.builder("--" + name).arity("0..1").type(List.class).auxiliaryTypes(String.class)
          .fallbackValue(BARE).build());
    }
    return spec;
  }
}
