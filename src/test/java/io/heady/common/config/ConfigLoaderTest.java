package io.heady.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Layering (defaults &lt; conf/&lt;role&gt;.json &lt; HEADY_* &lt; flags) and one-line refusals that name the flag. */
class ConfigLoaderTest {
  @TempDir
  Path dir;

  private Config load(Map<String, String> env, String... args) {
    return new ConfigLoader(env, args).load();
  }

  private String conf() {
    return "--conf-dir=" + dir;
  }

  private ConfigException refused(Map<String, String> env, String... args) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(env, args));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void defaultsWhenNothingIsSet() {
    Config c = load(Map.of(), "--role=manager", conf());
    assertEquals("manager", c.role());
    assertEquals(120, c.integer(Keys.TTL_SEC));
    assertEquals(600, c.integer(Keys.OFFLINE_SEC));
    assertEquals(45, c.integer(Keys.HEARTBEAT_SEC));
    assertEquals(3, c.integer(Keys.PROBE_FAILURES));
    assertEquals(7070, c.integer(Keys.PORT_MANAGER));
    assertEquals("memory", c.string(Keys.STORE));
    assertTrue(c.bool(Keys.FAILOVER_TO_CLOUD));
    assertEquals("default", c.source(Keys.TTL_SEC));
    assertEquals(7700, load(Map.of(), "--role=agent", conf()).integer(Keys.PORT_AGENT));
  }

  @Test
  void eachLayerOverridesTheOneBelow() throws Exception {
    Files.writeString(dir.resolve("manager.json"),
        "{\"ttl-sec\": 200, \"probe-sec\": 10, \"heartbeat-sec\": 30, \"open-health\": false}");
    Map<String, String> env = Map.of("HEADY_TTL_SEC", "300", "HEADY_PROBE_SEC", "20");
    Config c = load(env, "--role=manager", conf(), "--ttl-sec=400");
    assertEquals(400, c.integer(Keys.TTL_SEC));
    assertEquals("flag", c.source(Keys.TTL_SEC));
    assertEquals(20, c.integer(Keys.PROBE_SEC));
    assertEquals("env", c.source(Keys.PROBE_SEC));
    assertEquals(30, c.integer(Keys.HEARTBEAT_SEC));
    assertEquals("file", c.source(Keys.HEARTBEAT_SEC));
    assertFalse(c.bool(Keys.OPEN_HEALTH));
    assertEquals(600, c.integer(Keys.OFFLINE_SEC));
    assertEquals("default", c.source(Keys.OFFLINE_SEC));
  }

  @Test
  void onlyTheRolesFileIsRead() throws Exception {
    Files.writeString(dir.resolve("agent.json"), "{\"heartbeat-sec\": 5}");
    assertEquals(45, load(Map.of(), "--role=manager", conf()).integer(Keys.HEARTBEAT_SEC));
    assertEquals(5, load(Map.of(), "--role=agent", conf()).integer(Keys.HEARTBEAT_SEC));
  }

  @Test
  void theConfDirAndTheRoleMayComeFromTheEnvironment() throws Exception {
    Files.writeString(dir.resolve("agent.json"), "{\"name\": \"Ryzen 9 Powerhouse\"}");
    Config c = load(Map.of("HEADY_CONF_DIR", dir.toString(), "HEADY_ROLE", "agent"));
    assertEquals("agent", c.role());
    assertEquals("Ryzen 9 Powerhouse", c.string(Keys.NAME));
    assertEquals("manager", load(Map.of("HEADY_ROLE", "agent"), "--role=manager", conf()).role(),
        "the flag beats the environment");
  }

  @Test
  void theSeedsEnvironmentNames() {
    Map<String, String> env = Map.of("HEADY_NODE_ID", "ryzen9-mini", "HEADY_NODE_NAME", "Ryzen 9 Powerhouse",
        "HEADY_TUNNEL_URL", "https://node.example.com", "HEADY_HEARTBEAT_SEC", "45",
        "HEADY_MANAGER_URL", "http://192.168.1.10:7070");
    Config c = load(env, "--role=agent", conf());
    assertEquals("ryzen9-mini", c.string(Keys.NODE_ID));
    assertEquals("Ryzen 9 Powerhouse", c.string(Keys.NAME));
    assertEquals("https://node.example.com", c.string(Keys.TUNNEL_URL));
    assertEquals("http://192.168.1.10:7070", c.string(Keys.MANAGER));
  }

  @Test
  void flagForms() {
    Config c = load(Map.of(), "--role", "agent", conf(), "--port", "7800", "--execute-enabled",
        "--label", "gpu=rtx3090", "--label=site=home");
    assertEquals(7800, c.integer(Keys.PORT_AGENT));
    assertTrue(c.bool(Keys.EXECUTE_ENABLED));
    assertEquals(Map.of("gpu", "rtx3090", "site", "home"), c.labels(Keys.LABEL));
    assertFalse(load(Map.of(), "--role=agent", conf(), "--execute-enabled=false").bool(Keys.EXECUTE_ENABLED));
    assertEquals(7900, load(Map.of(), "--role=agent", conf(), "--port=7800", "--port=7900")
        .integer(Keys.PORT_AGENT), "the last one wins");
  }

  @Test
  void listsFromEachLayer() throws Exception {
    assertEquals(List.of("gpu=rtx3090", "site=home"),
        load(Map.of("HEADY_LABELS", "gpu=rtx3090, site=home"), "--role=agent", conf()).list(Keys.LABEL));
    Files.writeString(dir.resolve("agent.json"), "{\"label\": [\"a=1\", \"b=2\"]}");
    assertEquals(List.of("a=1", "b=2"), load(Map.of(), "--role=agent", conf()).list(Keys.LABEL));
    assertEquals(List.of("c=3"), load(Map.of(), "--role=agent", conf(), "--label=c=3").list(Keys.LABEL));
  }

  // ---- refusals ------------------------------------------------------------------------------------------

  @Test
  void anUnknownFlagIsNamed() {
    assertTrue(refused(Map.of(), "--role=manager", conf(), "--bogus=1").getMessage().contains("--bogus"));
    ConfigException other = refused(Map.of(), "--role=agent", conf(), "--store=memory");
    assertTrue(other.getMessage().contains("--store") && other.getMessage().contains("agent"), other.getMessage());
    assertTrue(refused(Map.of(), "--role=manager", "stray").getMessage().contains("stray"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "manager, --port=abc,            --port",          // bad int
      "manager, --port=70000,          --port",          // out of range
      "manager, --ttl-sec=1,           --ttl-sec",       // below the minimum
      "manager, --probe-failures=0,    --probe-failures",
      "manager, --log-level=loud,      --log-level",     // bad enum
      "agent,   --transport=pigeon,    --transport",
      "manager, --open-health=maybe,   --open-health",   // bad boolean
      "manager, --store=ftp://x,       --store",         // bad URL
      "agent,   --manager=http://,     --manager",       // URL without a host
      "manager, --port,                --port",          // a value is needed
  })
  void aBadFlagValueIsRefusedNamingTheFlag(String role, String flag, String name) {
    ConfigException e = refused(Map.of(), "--role=" + role, conf(), flag);
    assertTrue(e.getMessage().startsWith(name), e.getMessage());
  }

  @Test
  void aBadValueFromTheEnvironmentOrTheFileNamesTheFlagAndTheSource() throws Exception {
    ConfigException env = refused(Map.of("HEADY_TTL_SEC", "soon"), "--role=manager", conf());
    assertTrue(env.getMessage().contains("--ttl-sec") && env.getMessage().contains("HEADY_TTL_SEC"),
        env.getMessage());
    Files.writeString(dir.resolve("manager.json"), "{\"port\": 99999}");
    ConfigException file = refused(Map.of(), "--role=manager", conf());
    assertTrue(file.getMessage().contains("--port") && file.getMessage().contains("manager.json"),
        file.getMessage());
    Files.writeString(dir.resolve("manager.json"), "{\"prot\": 7070}");
    assertTrue(refused(Map.of(), "--role=manager", conf()).getMessage().contains("prot"));
    Files.writeString(dir.resolve("manager.json"), "{\"port\": 7070");
    assertTrue(refused(Map.of(), "--role=manager", conf()).getMessage().contains("manager.json"));
  }

  @Test
  void aMissingOrUnknownRoleIsRefusedNamingRole() {
    assertTrue(refused(Map.of(), conf()).getMessage().contains("--role"));
    assertTrue(refused(Map.of(), "--role=worker", conf()).getMessage().contains("--role"));
    assertTrue(refused(Map.of("HEADY_ROLE", ""), conf()).getMessage().contains("--role"));
  }

  @Test
  void requiredAndLabelChecksNameTheFlag() {
    Config agent = load(Map.of(), "--role=agent", conf());
    ConfigException missing = assertThrows(ConfigException.class, () -> agent.required(Keys.TOKEN));
    assertTrue(missing.getMessage().contains("--token") && missing.getMessage().contains("HEADY_TOKEN"));
    Config bad = load(Map.of(), "--role=agent", conf(), "--label=novalue");
    assertTrue(assertThrows(ConfigException.class, () -> bad.labels(Keys.LABEL)).getMessage().contains("--label"));
  }

  @Test
  void configOfIsTheDefaultsPlusOverrides() {
    Config c = Config.of("manager", Map.of("ttl-sec", "2", "conf-dir", dir.toString()));
    assertEquals(2, c.integer(Keys.TTL_SEC));
    assertEquals("flag", c.source(Keys.TTL_SEC));
  }

  // ---- help ----------------------------------------------------------------------------------------------

  @Test
  void helpListsEveryKeyWithItsEnvironmentVariableAndDefault() {
    String help = ConfigLoader.help();
    List<String> lines = help.lines().toList();
    List<String> missing = new ArrayList<>();
    for (ConfigKey k : Keys.all()) {
      boolean found = lines.stream().anyMatch(l ->
          (l.trim().startsWith("--" + k.name() + "=") || l.trim().startsWith("--" + k.name() + "["))
              && l.contains(" " + k.env() + " ") && l.contains("default " + k.shownDefault()));
      if (!found) {
        missing.add(k.name() + " (" + k.env() + ", default " + k.shownDefault() + ")");
      }
    }
    assertTrue(missing.isEmpty(), "not in --help: " + missing + "\n" + help);
    assertTrue(help.contains("default 7070") && help.contains("default 7700"), "both ports");
    assertTrue(help.contains("HEADY_MANAGER_URL"));
  }

  @Test
  void everyKeyHasAnEnvironmentNameAndAValidDefault() {
    for (ConfigKey k : Keys.all()) {
      assertTrue(k.env().startsWith("HEADY_"), k.name());
      assertFalse(k.roles().isEmpty(), k.name());
      if (k.defaultValue() != null && !(k.type() == ConfigKey.Type.URL && k.defaultValue().isEmpty())) {
        k.validate(k.defaultValue(), "default"); // a default that fails its own validation would stop every start
      }
    }
  }
}
