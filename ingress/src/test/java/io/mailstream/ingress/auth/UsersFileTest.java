package io.mailstream.ingress.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsersFileTest {
  @TempDir Path dir;

  @Test
  void hashesAreSaltedAndCheckTheirPassword() {
    PasswordHash a = PasswordHash.of("secret".toCharArray(), 1000);
    PasswordHash b = PasswordHash.of("secret".toCharArray(), 1000);
    assertNotEquals(a.toString(), b.toString(), "the same password must not hash alike");
    assertTrue(a.matches("secret".toCharArray()));
    assertFalse(a.matches("Secret".toCharArray()));
    PasswordHash again = PasswordHash.parse(a.toString());
    assertEquals(a, again);
    assertTrue(again.matches("secret".toCharArray()));
    assertTrue(a.toString().startsWith("$pbkdf2-sha256$1000$"), a.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$md5$1000$c2FsdHNhbHQ$aGFzaA | expected $pbkdf2-sha256$ITERATIONS$SALT$HASH",
        "$pbkdf2-sha256$many$c2FsdHNhbHQ$aGFzaA | iteration count is not a number: 'many'",
        "$pbkdf2-sha256$10$c2FsdHNhbHQ$aGFzaA | iteration count 10 is below 1000",
        "$pbkdf2-sha256$1000$***$aGFzaA | salt or hash is not valid base64",
      })
  void badHashesSayWhatIsWrong(String text, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(text));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void writtenFilesReadBackAndAreOwnerOnly() throws Exception {
    Path file = dir.resolve("users");
    UsersFile.empty(file).with("alice", PasswordHash.of("a".toCharArray(), 1000))
        .with("bob", PasswordHash.of("b".toCharArray(), 1000)).write();
    UsersFile read = UsersFile.read(file);
    assertEquals(2, read.size());
    assertTrue(read.find("alice").orElseThrow().matches("a".toCharArray()));
    assertTrue(read.find("Alice").isEmpty(), "identities are compared exactly");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    read.without("alice").write();
    assertTrue(UsersFile.read(file).find("alice").isEmpty());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "no colon here | :2: expected NAME:HASH (see mailstream passwd)",
        ":$pbkdf2-sha256$1000$c2FsdHNhbHQ$aGFzaA | :2: expected NAME:HASH",
        "alice:$pbkdf2-sha256$1000$c2FsdHNhbHQ$aGFzaA | :2: salt or hash has the wrong length",
      })
  void badLinesNameFileAndLine(String line, String message) throws Exception {
    Path file = Files.writeString(dir.resolve("users"), "# users\n" + line + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.read(file));
    assertTrue(e.getMessage().startsWith(file + message), e.getMessage());
  }

  @Test
  void aUserListedTwiceIsAnError() throws Exception {
    String hash = PasswordHash.of("x".toCharArray(), 1000).toString();
    Path file = Files.writeString(dir.resolve("users"), "alice:" + hash + "\n\nalice:" + hash + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.read(file));
    assertEquals(file + ":3: user 'alice' is already on line 1", e.getMessage());
  }

  @Test
  void theAuthenticatorSeesChangesAndKeepsTheLastGoodFile() throws Exception {
    Path file = dir.resolve("users");
    UsersFile.empty(file).with("alice", PasswordHash.of("one".toCharArray(), 1000)).write();
    try (Authenticator auth = Authenticator.open(file)) {
      assertEquals(Authenticator.Outcome.ACCEPTED, auth.check("", "alice", "one".toCharArray()).get(5, TimeUnit.SECONDS));
      assertEquals(Authenticator.Outcome.REFUSED, auth.check("", "alice", "two".toCharArray()).get(5, TimeUnit.SECONDS));
      UsersFile.read(file).with("alice", PasswordHash.of("two".toCharArray(), 1000)).write();
      assertEquals(Authenticator.Outcome.ACCEPTED, auth.check("", "alice", "two".toCharArray()).get(5, TimeUnit.SECONDS));
      Files.writeString(file, "broken line that is longer than before to change the size\n");
      assertEquals(Authenticator.Outcome.ACCEPTED, auth.check("", "alice", "two".toCharArray()).get(5, TimeUnit.SECONDS));
      assertEquals(Authenticator.Outcome.REFUSED, auth.check("", "nobody", "two".toCharArray()).get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aBadUsersFileStopsTheServerFromStarting() throws Exception {
    Path file = Files.writeString(dir.resolve("users"), "alice\n");
    ConfigException e = assertThrows(ConfigException.class, () -> Authenticator.open(file));
    assertEquals(file + ":1: expected NAME:HASH (see mailstream passwd)", e.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> Authenticator.open(dir.resolve("none")));
    assertTrue(missing.getMessage().startsWith(dir.resolve("none") + ": cannot read users file"), missing.getMessage());
  }
}
