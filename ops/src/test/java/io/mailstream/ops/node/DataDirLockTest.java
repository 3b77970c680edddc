package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory lock within one JVM: a second claim is refused with this process's PID (the
 * case of two in-process nodes in a test), however the directory is spelled, and the lock is free
 * again once closed. The refusal across processes is {@code SecondStartTest}'s and
 * {@code StartRefusedTest}'s.
 */
class DataDirLockTest {
  @TempDir Path dir;

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void theLockFileHoldsThePidWhileHeldAndNothingElseIsWritten() throws Exception {
    Path data = dir.resolve("data");
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      assertEquals(data.toRealPath(), lock.directory());
      assertEquals(SELF + "\n", Files.readString(data.resolve("mailstream.lock"), StandardCharsets.US_ASCII));
      try (var files = Files.list(data)) {
        assertEquals(List.of(data.resolve("mailstream.lock")), files.toList());
      }
    }
    assertEquals("", Files.readString(data.resolve("mailstream.lock"), StandardCharsets.US_ASCII), "emptied on release");
  }

  @Test
  void aSecondClaimInThisProcessIsRefusedWithThisPid() {
    Path data = dir.resolve("data");
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      DataDirInUseException e = assertThrows(DataDirInUseException.class, () -> DataDirLock.acquire(data));
      assertEquals(OptionalLong.of(SELF), e.owner());
      assertEquals("data directory " + lock.directory() + " is in use by another Mailstream node (PID " + SELF
          + "); stop it first or give this one another --data-dir", e.getMessage());
    }
  }

  @Test
  void anotherSpellingOfTheSameDirectoryIsTheSameClaim() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), data);
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      assertThrows(DataDirInUseException.class, () -> DataDirLock.acquire(link));
      assertThrows(DataDirInUseException.class, () -> DataDirLock.acquire(dir.resolve(".").resolve("data")));
      assertTrue(lock.covers(link));
    }
  }

  @Test
  void aClosedLockCanBeTakenAgain() {
    Path data = dir.resolve("data");
    DataDirLock.acquire(data).close();
    try (DataDirLock again = DataDirLock.acquire(data)) {
      assertTrue(again.covers(data));
    }
  }

  @Test
  void aNodeOnALockedDirectoryStopsBeforeTouchingIt() throws Exception {
    Path data = dir.resolve("data");
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      MailstreamConfig config = new ConfigBuilder().hostname("relay.test").dataDir(data.toString())
          .listen(List.of("127.0.0.1:0")).smartHost("127.0.0.1:1").build();
      assertThrows(DataDirInUseException.class, () -> MailstreamNode.start(config, EnumSet.allOf(Stage.class)));
      try (var files = Files.list(data)) {
        assertEquals(List.of(data.resolve("mailstream.lock")), files.toList(), "no node-id, kafka or state written");
      }
    }
  }
}
