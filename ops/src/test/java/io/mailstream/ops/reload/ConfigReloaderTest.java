package io.mailstream.ops.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.rules.Resolved;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.rules.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the rules: a changed map is swapped in whole; a broken one leaves the old running. */
class ConfigReloaderTest {
  @TempDir Path dir;

  RuleSet load(Path config) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(config, b);
    return RuleSet.load(b.build());
  }

  static String mailer(RuleSet rules, String address) throws Exception {
    Resolved r = rules.resolve(MailAddress.parse(address), new Trace()).get(0);
    return ((Resolved.Deliver) r).destination().key();
  }

  @Test
  void changedMapIsSwappedInAndBrokenOneIsRefused() throws Exception {
    Path config = dir.resolve("mailstream.yaml");
    Path mailertable = dir.resolve("mailertable");
    Files.writeString(config, "hostname: gw.test\nrouting:\n  mailertable: mailertable\n");
    Files.writeString(mailertable, ".corp.example relay:[one.corp.example]\n");
    Reloadable<RuleSet> rules = new Reloadable<>(load(config));
    try (ConfigReloader reloader = ConfigReloader.swapping(() -> load(config), rules, List.of(config, mailertable))) {
      assertEquals("relay:[one.corp.example]:25", mailer(rules.get(), "a@x.corp.example"));

      // A file change is noticed and the new version swapped in whole.
      Files.writeString(mailertable, ".corp.example relay:[two.corp.example]\n");
      awaitVersion(rules, 2);
      assertEquals(2, rules.version().number(), "one reload for one edit");
      assertEquals("relay:[two.corp.example]:25", mailer(rules.get(), "a@x.corp.example"));

      // A broken file is refused; version 2 keeps running.
      Files.writeString(mailertable, ".corp.example nosuchmailer:x\n");
      ConfigReloader.Result refused = reloader.reload("test");
      assertFalse(refused.applied());
      assertTrue(refused.message().startsWith(mailertable + ":1: "), refused.message());
      assertEquals(2, rules.version().number());
      assertEquals("relay:[two.corp.example]:25", mailer(rules.get(), "a@x.corp.example"));

      Files.writeString(mailertable, ".corp.example relay:[three.corp.example]\n");
      assertTrue(reloader.reload("test").applied());
      assertEquals("relay:[three.corp.example]:25", mailer(rules.get(), "a@x.corp.example"));
    }
  }

  private static void awaitVersion(Reloadable<?> r, long atLeast) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (r.version().number() < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no reload within 30 s");
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
