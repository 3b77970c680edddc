package io.mailstream.sendmail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Messages that wait while the node is unreachable, so that none is lost (sendmail queues them in
 * {@code clientmqueue}, Postfix in {@code maildrop}). A JVM can be neither setuid nor setgid, so
 * each user keeps their own: {@code <spool>/<uid>/}, mode 0700, made and owned by that user, one
 * file (mode 0600) per message. Only that user and root can read them. The spool itself (made by
 * the node, mode 1733) lets anyone make a directory but nobody list or rename others'.
 *
 * <p>A file holds the envelope, one line each ({@code sender}, {@code rcpt}, {@code notify},
 * {@code ret}, {@code envid}, {@code body}, {@code user}, {@code time}), an empty line, and the
 * message with CRLF line ends. It is written under a temporary name and renamed, so a reader
 * never sees half of one; whoever submits it holds a lock on it, so two invocations never send it
 * twice.
 */
final class Spool {
  private static final String MAGIC = "mailstream-spool 1";

  /** A spooled message: its file, envelope, who spooled it and when. */
  record Entry(Path file, Envelope envelope, String user, long time, byte[] message) {}

  private final Path root;
  private final int uid;

  Spool(Path root, int uid) {
    this.root = root;
    this.uid = uid;
  }

  /** This process's effective uid: the owner of {@code /proc/self}. */
  static int currentUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  /**
   * Keeps a message for later.
   *
   * @return the file it is in
   * @throws CommandFailure EX_CANTCREAT when it cannot be written
   */
  Path put(Envelope e, String user, byte[] message) throws CommandFailure {
    Path dir = ownDirectory();
    StringBuilder head = new StringBuilder(MAGIC).append('\n');
    head.append("sender ").append(e.sender()).append('\n');
    for (String r : e.recipients()) {
      head.append("rcpt ").append(r).append('\n');
    }
    line(head, "notify", e.notifyOn());
    line(head, "ret", e.ret());
    line(head, "envid", e.envelopeId());
    line(head, "body", e.body());
    line(head, "user", user);
    line(head, "time", Long.toString(System.currentTimeMillis()));
    head.append('\n');
    String name = System.currentTimeMillis() + "-" + SystemFacts.pid();
    Path tmp = dir.resolve("." + name + ".tmp");
    Path file = dir.resolve(name + ".msg");
    try {
      Files.write(tmp, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        out.write(java.nio.ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.UTF_8)));
        out.write(java.nio.ByteBuffer.wrap(message));
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException x) {
      throw new CommandFailure(Sysexits.EX_CANTCREAT, "cannot spool the message in " + dir + ": " + x.getMessage());
    }
  }

  /**
   * The spooled messages, oldest first: this user's own, or, with {@code everyone} and for root
   * only, every user's. Unreadable files are skipped.
   */
  List<Entry> list(boolean everyone) throws IOException {
    List<Path> dirs = new ArrayList<>();
    if (uid == 0 && everyone) {
      try (DirectoryStream<Path> all = Files.newDirectoryStream(root)) {
        for (Path p : all) {
          dirs.add(p);
        }
      } catch (NoSuchFileException e) {
        return List.of();
      }
    } else {
      dirs.add(root.resolve(Integer.toString(uid)));
    }
    List<Path> files = new ArrayList<>();
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (DirectoryStream<Path> in = Files.newDirectoryStream(d, "*.msg")) {
        for (Path p : in) {
          files.add(p);
        }
      }
    }
    Collections.sort(files);
    List<Entry> out = new ArrayList<>();
    for (Path f : files) {
      Entry e = read(f);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Takes {@code entry} for submission: a lock on its file that another invocation cannot get
   * meanwhile, or null when another one has it or it is already gone. Close the lock's channel
   * after deleting the file.
   */
  static FileLock claim(Entry entry) {
    try {
      FileChannel ch = FileChannel.open(entry.file(), StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        return null;
      }
      if (!Files.exists(entry.file())) { // sent and deleted by another invocation in between
        ch.close();
        return null;
      }
      return lock;
    } catch (IOException e) {
      return null;
    }
  }

  private static Entry read(Path f) {
    byte[] all;
    try {
      all = Files.readAllBytes(f);
    } catch (IOException e) {
      return null;
    }
    int end = indexOf(all, "\n\n");
    if (end < 0) {
      return null;
    }
    String sender = null;
    String notify = null;
    String ret = null;
    String envid = null;
    String body = null;
    String user = null;
    long time = 0;
    List<String> rcpts = new ArrayList<>();
    String[] lines = new String(all, 0, end, StandardCharsets.UTF_8).split("\n");
    if (!lines[0].equals(MAGIC)) {
      return null;
    }
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      int sp = l.indexOf(' ');
      String key = sp < 0 ? l : l.substring(0, sp);
      String v = sp < 0 ? "" : l.substring(sp + 1);
      switch (key) {
        case "sender" -> sender = v;
        case "rcpt" -> rcpts.add(v);
        case "notify" -> notify = v;
        case "ret" -> ret = v;
        case "envid" -> envid = v;
        case "body" -> body = v;
        case "user" -> user = v;
        case "time" -> time = Long.parseLong(v);
        default -> { }
      }
    }
    byte[] message = java.util.Arrays.copyOfRange(all, end + 2, all.length);
    return new Entry(f, new Envelope(sender == null ? "" : sender, rcpts, notify, ret, envid, body), user, time, message);
  }

  private Path ownDirectory() throws CommandFailure {
    Path dir = root.resolve(Integer.toString(uid));
    try {
      if (!Files.isDirectory(root)) {
        throw new CommandFailure(Sysexits.EX_CANTCREAT, "no spool directory " + root + "; start the node once to make it");
      }
      if (!Files.exists(dir)) {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      // Anyone may make directories in the spool: one named after this uid but made by someone
      // else would let them read what is put in it.
      int owner = (Integer) Files.getAttribute(dir, "unix:uid");
      if (owner != uid || !PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)).equals("rwx------")) {
        throw new CommandFailure(Sysexits.EX_CANTCREAT,
            dir + " is not this user's own (owner " + owner + ", mode must be 0700); not spooling into it");
      }
      return dir;
    } catch (IOException e) {
      throw new CommandFailure(Sysexits.EX_CANTCREAT, "cannot make " + dir + ": " + e.getMessage());
    }
  }

  private static void line(StringBuilder head, String key, String value) {
    if (value != null) {
      head.append(key).append(' ').append(value).append('\n');
    }
  }

  private static int indexOf(byte[] all, String what) {
    byte[] w = what.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + w.length <= all.length; i++) {
      for (int j = 0; j < w.length; j++) {
        if (all[i + j] != w[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
