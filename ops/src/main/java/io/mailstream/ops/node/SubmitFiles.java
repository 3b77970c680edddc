package io.mailstream.ops.node;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ops.admin.AdminToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the {@code sendmail} command reads from the data directory, written when the ingress
 * starts: {@code submit.info} (the socket, the hostname it qualifies addresses with, {@code
 * submit.offline}, the admin token's file for {@code sendmail -q}), which it needs most when the
 * node is down, and the {@code spool} directory where it keeps messages meanwhile.
 *
 * <p>The spool is mode 1733, like {@code /tmp} without the right to list: any local user may create
 * a directory of their own in it (the command makes {@code spool/<uid>}, mode 0700, and checks that
 * it owns it), nobody may list it, and the sticky bit stops users renaming each other's. So spooled
 * mail is readable only by the user who wrote it and by root, and is submitted by that user's next
 * {@code sendmail} (or {@code sendmail -q}); a JVM can be neither setuid nor setgid, so the node
 * itself, running as its own user, never reads it.
 */
final class SubmitFiles {
  static final String INFO = "submit.info";
  static final String SPOOL = "spool";

  private SubmitFiles() {}

  private static Path adminToken(MailstreamConfig config, Path dir) {
    Path configured = config.admin().tokenFile();
    return configured != null ? configured.toAbsolutePath().normalize() : dir.resolve(AdminToken.FILE);
  }

  /** Writes {@code submit.info} (world-readable) and creates the spool directory if missing. */
  static void write(MailstreamConfig config) {
    Path dir = config.dataDir().toAbsolutePath().normalize();
    try {
      Path spool = dir.resolve(SPOOL);
      if (!Files.isDirectory(spool)) {
        Files.createDirectories(spool);
      }
      // PosixFilePermission has no sticky bit; the unix view sets the whole mode.
      Files.setAttribute(spool, "unix:mode", 01733);
      String info =
          "# Written by mailstream start for the sendmail command (README: The sendmail command).\n"
              + "hostname=" + config.hostname() + "\n"
              + "socket=" + config.submitSocket() + "\n"
              + "offline=" + config.submit().offline().text() + "\n"
              + "spool=" + spool + "\n"
              // Where sendmail -q finds the admin token to run the node's queue: readable only by
              // the node's user (and root), so the file's mode decides who may run it.
              + "admin-token=" + adminToken(config, dir) + "\n";
      Path tmp = dir.resolve(INFO + ".tmp");
      Files.writeString(tmp, info, StandardCharsets.UTF_8);
      Files.setAttribute(tmp, "unix:mode", 0644);
      Files.move(tmp, dir.resolve(INFO), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(INFO) + " for the sendmail command: " + e.getMessage(), e);
    }
  }
}
