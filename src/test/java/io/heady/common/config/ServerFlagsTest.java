package io.heady.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's command line as picocli reads it: every form a flag may take, and what is refused. */
class ServerFlagsTest {
  private static Map<String, List<String>> parse(String... args) {
    return ServerFlags.parse(args);
  }

  private static Map<String, List<String>> flags(Object... nameValues) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put((String) nameValues[i], Arrays.asList((String[]) nameValues[i + 1]));
    }
    return m;
  }

  private static String[] v(String... values) {
    return values;
  }

  @Test
  void eachFormOfAFlag() {
    assertEquals(flags("role", v("agent")), parse("--role=agent"));
    assertEquals(flags("role", v("agent")), parse("--role", "agent"));
    assertEquals(flags("execute-enabled", v((String) null)), parse("--execute-enabled"), "bare: no value");
    assertEquals(flags("execute-enabled", v((String) null), "role", v("agent")),
        parse("--execute-enabled", "--role=agent"), "a flag is not the value of a bare one before it");
    assertEquals(flags("execute-enabled", v("false")), parse("--execute-enabled", "false"));
    assertEquals(flags("name", v("")), parse("--name="), "an empty value");
    assertEquals(flags("label", v("site=home", "gpu=rtx3090")), parse("--label=site=home", "--label", "gpu=rtx3090"),
        "repeated, in order, split at the first = only");
    assertEquals(flags("port", v("7800", "7900")), parse("--port=7800", "--port=7900"), "every value, in order");
    assertEquals(flags("label", v("a,b")), parse("--label=a,b"), "commas are the value's own");
    assertEquals(flags("port", v("-5")), parse("--port", "-5"), "a negative number is a value");
    assertEquals(flags(), parse());
  }

  @Test
  void unknownFlagsAndStrayArgumentsAreNamed() {
    assertEquals("unknown flag --bogus (see --help)",
        assertThrows(ConfigException.class, () -> parse("--role=manager", "--bogus=1")).getMessage());
    assertEquals("unknown flag --bogus (see --help)",
        assertThrows(ConfigException.class, () -> parse("--port", "--bogus")).getMessage(),
        "an unknown flag is never taken for a value");
    assertEquals("unexpected argument 'stray' (flags look like --name=value; see --help)",
        assertThrows(ConfigException.class, () -> parse("--role=manager", "stray")).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> parse("--role=manager", "--")).getMessage()
        .contains("'--'"));
    assertTrue(assertThrows(ConfigException.class, () -> parse("@/etc/passwd")).getMessage()
        .contains("@/etc/passwd"), "no @file expansion");
  }
}
