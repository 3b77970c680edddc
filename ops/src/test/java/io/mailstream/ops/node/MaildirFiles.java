package io.mailstream.ops.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The messages in one Maildir folder ({@code new/}); none while the folder does not exist yet. */
final class MaildirFiles {
  private MaildirFiles() {}

  static List<Path> in(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.toList();
    }
  }
}
