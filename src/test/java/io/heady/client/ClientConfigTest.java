package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each value is resolved on its own: flags, env, user file, machine file, defaults. */
class ClientConfigTest {
  @TempDir
  Path dir;
  Path home;
  Path machine;
  Map<String, String> env;

  @BeforeEach
  void layout() throws IOException {
    home = Files.createDirectories(dir.resolve("home"));
    machine = dir.resolve("etc/heady/cli.json");
    env = new HashMap<>();
  }

  private ClientConfig resolve(String url, String token) {
    return ClientConfig.resolve(url, token, env, home, machine);
  }

  private void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private Path userFile() {
    return home.resolve(".config/heady/cli.json");
  }

  @Test
  void nothingConfiguredGivesTheDefaultsAndNoToken() {
    ClientConfig c = resolve(null, null);
    assertEquals("http://127.0.0.1:7070", c.url());
    assertEquals("default", c.urlSource());
    assertNull(c.token());
  }

  @Test
  void theManagersAdminTokenFileIsTheLastResort() throws IOException {
    write(home.resolve(".heady/admin.token"), "ha_from_data_dir\n");
    ClientConfig c = resolve(null, null);
    assertEquals("ha_from_data_dir", c.token());
    assertEquals(home.resolve(".heady/admin.token").toString(), c.tokenSource());
    write(dir.resolve("data/admin.token"), "ha_from_env_dir");
    env.put("HEADY_DATA_DIR", dir.resolve("data").toString());
    assertEquals("ha_from_env_dir", resolve(null, null).token());
  }

  @Test
  void machineFileBeatsDefaults() throws IOException {
    write(home.resolve(".heady/admin.token"), "ha_default");
    write(machine, "{\"url\": \"http://etc:7070\", \"token\": \"ha_etc\"}");
    ClientConfig c = resolve(null, null);
    assertEquals("http://etc:7070", c.url());
    assertEquals("ha_etc", c.token());
    assertEquals(machine.toString(), c.tokenSource());
  }

  @Test
  void userFileBeatsMachineFileValueByValue() throws IOException {
    write(machine, "{\"url\": \"http://etc:7070\", \"token\": \"ha_etc\"}");
    write(userFile(), "{\"url\": \"http://user:7070/\"}");
    ClientConfig c = resolve(null, null);
    assertEquals("http://user:7070", c.url());
    assertEquals("ha_etc", c.token(), "the user file has no token, so the machine file's is used");
  }

  @Test
  void xdgConfigHomeAndHeadyConfigMoveTheUserFile() throws IOException {
    write(dir.resolve("xdg/heady/cli.json"), "{\"url\": \"http://xdg:1\"}");
    env.put("XDG_CONFIG_HOME", dir.resolve("xdg").toString());
    assertEquals("http://xdg:1", resolve(null, null).url());
    write(dir.resolve("custom.json"), "{\"url\": \"http://custom:2\"}");
    env.put("HEADY_CONFIG", dir.resolve("custom.json").toString());
    assertEquals("http://custom:2", resolve(null, null).url());
  }

  @Test
  void environmentBeatsFiles() throws IOException {
    write(userFile(), "{\"url\": \"http://user:7070\", \"token\": \"ha_user\"}");
    env.put("HEADY_URL", "http://env:7070");
    env.put("HEADY_TOKEN", "ha_env");
    ClientConfig c = resolve(null, null);
    assertEquals("http://env:7070", c.url());
    assertEquals("HEADY_URL", c.urlSource());
    assertEquals("ha_env", c.token());
    assertEquals("HEADY_TOKEN", c.tokenSource());
  }

  @Test
  void flagsBeatEverything() throws IOException {
    write(userFile(), "{\"url\": \"http://user:7070\", \"token\": \"ha_user\"}");
    env.put("HEADY_URL", "http://env:7070");
    env.put("HEADY_TOKEN", "ha_env");
    ClientConfig c = resolve("http://flag:7070", "ha_flag");
    assertEquals("http://flag:7070", c.url());
    assertEquals("--url", c.urlSource());
    assertEquals("ha_flag", c.token());
    assertEquals("--token", c.tokenSource());
    ClientConfig mixed = resolve("http://flag:7070", null);
    assertEquals("ha_env", mixed.token(), "each value resolves on its own");
  }

  @Test
  void aTokenFileCanStandForTheToken() throws IOException {
    write(dir.resolve("secret"), "ha_in_file\n");
    write(userFile(), "{\"token_file\": \"" + dir.resolve("secret") + "\"}");
    assertEquals("ha_in_file", resolve(null, null).token());
  }

  @Test
  void urlsAreNormalizedAndBadOnesNamed() {
    assertEquals("http://box:7070", resolve("box:7070", null).url());
    assertEquals("https://box", resolve("https://box///", null).url());
    HeadyException e = assertThrows(HeadyException.class, () -> resolve("ftp://box", null));
    assertTrue(e.getMessage().contains("--url"), e.getMessage());
    env.put("HEADY_URL", "http://");
    HeadyException e2 = assertThrows(HeadyException.class, () -> resolve(null, null));
    assertTrue(e2.getMessage().contains("HEADY_URL"), e2.getMessage());
  }

  @Test
  void aBrokenConfigFileIsNamed() throws IOException {
    write(userFile(), "{url: nope");
    HeadyException e = assertThrows(HeadyException.class, () -> resolve(null, null));
    assertTrue(e.getMessage().contains(userFile().toString()), e.getMessage());
    assertEquals("BAD_CONFIG", e.code());
  }

  private static final String FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"
      + ":23:45:67:89";

  @Test
  void thePinComesFromTheFlagThenTheEnvironmentThenTheFiles() throws IOException {
    write(machine, "{\"manager_fingerprint\": \"" + FP.replace("AB", "11") + "\"}");
    write(userFile(), "{\"url\": \"https://heady.example.org:7070\", \"manager_fingerprint\": \""
        + FP.replace(":", "").toLowerCase() + "\"}");
    env.put("HEADY_MANAGER_FINGERPRINT", "sha256:" + FP.replace("AB", "22"));
    ClientConfig c = ClientConfig.resolve(null, null, FP, env, home, machine);
    assertEquals(FP, c.fingerprint());
    assertEquals("--manager-fingerprint", c.fingerprintSource());
    c = ClientConfig.resolve(null, null, null, env, home, machine);
    assertEquals(FP.replace("AB", "22"), c.fingerprint(), "printed as the manager prints it");
    assertEquals("HEADY_MANAGER_FINGERPRINT", c.fingerprintSource());
    env.remove("HEADY_MANAGER_FINGERPRINT");
    c = ClientConfig.resolve(null, null, null, env, home, machine);
    assertEquals(FP, c.fingerprint());
    assertEquals(userFile().toString(), c.fingerprintSource());
    Files.delete(userFile());
    env.put("HEADY_URL", "https://10.0.0.5:7070");
    c = ClientConfig.resolve(null, null, null, env, home, machine);
    assertEquals(FP.replace("AB", "11"), c.fingerprint());
    assertEquals(machine.toString(), c.fingerprintSource());
    env.remove("HEADY_URL");
    assertNull(ClientConfig.resolve("https://h:1", null, null, Map.of(), home, dir.resolve("none")).fingerprint(),
        "no pin: the JVM's trust store");
  }

  @Test
  void aBadPinOrAPinOnPlainHttpIsRefusedNamingWhy() {
    env.put("HEADY_MANAGER_FINGERPRINT", "AB:CD");
    HeadyException e = assertThrows(HeadyException.class,
        () -> ClientConfig.resolve("https://h:7070", null, null, env, home, machine));
    assertTrue(e.getMessage().contains("HEADY_MANAGER_FINGERPRINT") && e.getMessage().contains("64 hex digits"),
        e.getMessage());
    e = assertThrows(HeadyException.class, () -> ClientConfig.resolve("http://h:7070", null, FP, env, home, machine));
    assertTrue(e.getMessage().contains("needs an https:// manager URL") && e.getMessage().contains("--url"),
        e.getMessage());
    e = assertThrows(HeadyException.class,
        () -> HeadyClient.builder().url("http://h:7070").managerFingerprint(FP).build());
    assertTrue(e.getMessage().contains("https://"), e.getMessage());
    assertThrows(HeadyException.class, () -> HeadyClient.builder().managerFingerprint("xyz"));
  }
}
