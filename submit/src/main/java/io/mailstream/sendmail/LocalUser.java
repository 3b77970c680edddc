package io.mailstream.sendmail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user who runs the command: the login name the JVM found for its uid, and the full name from
 * the GECOS field of {@code /etc/passwd}, which sendmail puts into the From it adds. The node
 * does not take this command's word for who is submitting: it reads the socket's peer
 * credentials.
 *
 * @param name the login name
 * @param fullName the GECOS full name, or null
 */
record LocalUser(String name, String fullName) {
  /** The user of this process. */
  static LocalUser current() {
    String name = System.getProperty("user.name");
    return new LocalUser(name, gecos(name, Path.of("/etc/passwd")));
  }

  // name:x:uid:gid:Full Name,room,phone,...:home:shell; "&" stands for the capitalised login.
  static String gecos(String name, Path passwd) {
    try {
      for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
        if (!line.startsWith(name + ":")) {
          continue;
        }
        String[] f = line.split(":");
        if (f.length < 5) {
          return null;
        }
        String full = f[4];
        int comma = full.indexOf(',');
        full = (comma < 0 ? full : full.substring(0, comma)).strip();
        if (full.contains("&") && !name.isEmpty()) {
          full = full.replace("&", Character.toUpperCase(name.charAt(0)) + name.substring(1));
        }
        return full.isEmpty() ? null : full;
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
