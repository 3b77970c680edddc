package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached free-space reading against the floor, on the real file system of a temporary directory. */
class FreeSpaceTest {
  @TempDir Path dir;

  @Test
  void aFloorOfZeroNeverRefuses() {
    try (FreeSpace space = new FreeSpace(dir, 0)) {
      assertTrue(space.room(Long.MAX_VALUE / 2));
    }
  }

  @Test
  void roomIsTheFreeSpaceLessTheMessageAgainstTheFloor() throws Exception {
    long free = Files.getFileStore(dir).getUsableSpace();
    try (FreeSpace below = new FreeSpace(dir, free * 4 + 1)) {
      assertFalse(below.room(0), "a floor above the disk's free space refuses everything");
    }
    try (FreeSpace above = new FreeSpace(dir, 1)) {
      assertTrue(above.room(0));
      assertTrue(above.room(1024));
      assertFalse(above.room(above.usable()), "a message as large as the free space crosses the floor");
    }
  }

  @Test
  void aDataDirectoryNotYetCreatedIsMeasuredOnItsParent() {
    try (FreeSpace space = new FreeSpace(dir.resolve("not/yet"), 1)) {
      assertTrue(space.usable() > 0 && space.usable() < Long.MAX_VALUE);
    }
  }
}
