package io.heady.install;

import static io.heady.install.InstallScriptTest.assertMode;
import static io.heady.install.InstallScriptTest.filesUnder;
import static io.heady.install.InstallScriptTest.readEnv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/install-manager.sh under a throwaway root: files, modes, the env file, Redis, upgrade and uninstall. */
class ManagerInstallScriptTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir
  Path root;
  @TempDir
  Path work;
  Path jar;

  @BeforeEach
  void setUp() throws IOException {
    jar = Files.write(work.resolve("heady.jar"), "PK pretend".getBytes(StandardCharsets.UTF_8));
  }

  private Shell.Result install(String... args) {
    List<String> cmd = Shell.list("sh", "bin/install-manager.sh", "--dry-run", "--root", root.toString(),
        "--jar", jar.toString());
    cmd.addAll(List.of(args));
    return Shell.run(LIMIT, Map.of(), cmd);
  }

  @Test
  void installsTheManagerWithAMemoryStoreByDefault() throws IOException {
    Shell.Result r = install("--advertise-url", "http://192.168.1.10:7070/").ok();
    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(root.resolve("opt/heady/heady.jar")));
    assertMode("rwxr-xr-x", root.resolve("opt/heady/launcher/heady"));
    assertEquals(Files.readString(Shell.PROJECT.resolve("systemd/heady-manager.service")),
        Files.readString(root.resolve("etc/systemd/system/heady-manager.service")));
    Path envFile = root.resolve("etc/heady/manager.env");
    assertMode("rw-------", envFile);
    Map<String, String> env = readEnv(envFile);
    assertEquals(Map.of("HEADY_PORT", "7070", "HEADY_DATA_DIR", "/var/lib/heady", "HEADY_CONF_DIR", "/etc/heady",
        "HEADY_STORE", "memory", "HEADY_ADVERTISE_URL", "http://192.168.1.10:7070"), env);
    new ConfigLoader(env, new String[] {"--role=manager"}).load();
    assertTrue(r.output().contains("[dry-run] systemctl restart heady-manager.service"), r.output());
    assertTrue(r.output().contains("curl -fsSL http://192.168.1.10:7070/install/agent.sh | sudo sh\n"),
        "prints the command that adds an agent, with no token in it:\n" + r.output());
  }

  @Test
  void withRedisConfiguresAppendOnlyAPasswordAndLoopbackAndKeepsThePasswordOnReRun() throws IOException {
    Files.createDirectories(root.resolve("etc/redis"));
    Files.writeString(root.resolve("etc/redis/redis.conf"), "bind 0.0.0.0\nappendonly no\n");
    Shell.Result r = install("--with-redis").ok();
    assertTrue(r.output().contains("[dry-run] apt-get install -y redis-server"), r.output());
    Path conf = root.resolve("etc/redis/heady.conf");
    assertMode("rw-r-----", conf);
    String c = Files.readString(conf);
    assertTrue(c.contains("\nappendonly yes\n") && c.contains("\nbind 127.0.0.1\n")
        && c.contains("\nprotected-mode yes\n"), c);
    Matcher m = Pattern.compile("(?m)^requirepass ([0-9a-f]{48})$").matcher(c);
    assertTrue(m.find(), c);
    String pass = m.group(1);
    String main = Files.readString(root.resolve("etc/redis/redis.conf"));
    assertTrue(main.endsWith("include /etc/redis/heady.conf\n"), "included last, so it wins:\n" + main);
    assertEquals("redis://:" + pass + "@127.0.0.1:6379/0", readEnv(root.resolve("etc/heady/manager.env"))
        .get("HEADY_STORE"));

    install("--with-redis").ok();
    assertTrue(Files.readString(conf).contains("requirepass " + pass + "\n"), "the password is kept");
    assertEquals(1, Files.readString(root.resolve("etc/redis/redis.conf")).lines()
        .filter(l -> l.startsWith("include")).count(), "included once");
    install().ok();
    assertEquals("redis://:" + pass + "@127.0.0.1:6379/0", readEnv(root.resolve("etc/heady/manager.env"))
        .get("HEADY_STORE"), "a re-run without --with-redis keeps the store");
  }

  @Test
  void uninstallKeepsTheDataUnlessPurged() throws IOException {
    install().ok();
    Files.writeString(root.resolve("var/lib/heady/join.token"), "hj_secret\n");
    Shell.Result r = Shell.run(LIMIT, Map.of(), "sh", "bin/install-manager.sh", "--uninstall", "--dry-run",
        "--root", root.toString()).ok();
    assertEquals(List.of("var/lib/heady/join.token"), filesUnder(root));
    assertFalse(r.output().contains("userdel"), "the kept data needs its owner");
    Shell.Result purge = Shell.run(LIMIT, Map.of(), "sh", "bin/install-manager.sh", "--uninstall", "--purge",
        "--dry-run", "--root", root.toString()).ok();
    assertEquals(List.of(), filesUnder(root));
    assertTrue(purge.output().contains("[dry-run] userdel heady"), purge.output());
  }

  @Test
  void badSettingsAreRefusedBeforeAnythingIsWritten() throws IOException {
    assertTrue(install("--store", "redis://x'y").failed().output().contains("--store"));
    assertTrue(install("--with-redis", "--store", "redis://:p@h:6379/0").failed().output().contains("pick one"));
    Shell.Result shortToken = install("--join-token", "short").failed();
    assertTrue(shortToken.output().contains("--join-token"), shortToken.output());
    assertFalse(shortToken.output().contains("'short'"), "a token is not echoed, even a wrong one");
    assertTrue(install("--admin-token-file", work.resolve("none").toString()).failed().output()
        .contains("--admin-token-file " + work.resolve("none") + ": no such file"));
    assertEquals(List.of(), filesUnder(root));
  }

  @Test
  void tokensComeFromFilesAndOnTheCommandLineOnlyWithAWarning() throws IOException {
    String join = "hj_" + "j".repeat(40);
    String admin = "ha_" + "a".repeat(40);
    Path joinFile = Files.writeString(work.resolve("join.token"), join + "\n");
    Path adminFile = Files.writeString(work.resolve("admin.token"), admin + "\n");
    Shell.Result r = install("--join-token-file", joinFile.toString(), "--admin-token-file=" + adminFile).ok();
    Map<String, String> env = readEnv(root.resolve("etc/heady/manager.env"));
    assertEquals(join, env.get("HEADY_JOIN_TOKEN"));
    assertEquals(admin, env.get("HEADY_ADMIN_TOKEN"));
    assertFalse(r.output().contains("warning"), r.output());
    assertFalse(r.output().contains(join) || r.output().contains(admin), r.output());

    Shell.Result onArgv = install("--join-token", join).ok();
    assertTrue(onArgv.output().contains("warning: --join-token puts a secret on this installer's command line"),
        onArgv.output());
  }
}
