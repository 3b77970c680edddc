package io.mailstream.ops.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** A translated sendmail.mc: the mailstream.yaml text, the files to copy beside it, and the report. */
public final class ImportResult {
  private final String yaml;
  private final List<MapFiles.Copy> copies;
  private final List<MapFiles.Created> created;
  private final List<ReportLine> report;

  ImportResult(String yaml, List<MapFiles.Copy> copies, List<MapFiles.Created> created, List<ReportLine> report) {
    this.yaml = yaml;
    this.copies = List.copyOf(copies);
    this.created = List.copyOf(created);
    this.report = List.copyOf(report);
  }

  public String yaml() {
    return yaml;
  }

  /** The report lines, in sendmail.mc order. */
  public List<ReportLine> report() {
    return report;
  }

  /** The names of the files copied or created next to mailstream.yaml. */
  public List<String> copied() {
    List<String> names = new ArrayList<>(copies.stream().map(MapFiles.Copy::name).toList());
    created.forEach(c -> names.add(c.name()));
    return names;
  }

  /**
   * Writes {@code out/mailstream.yaml} and the copies, creating {@code out}. Nothing is written when
   * a file is in the way and {@code force} is not set. Files the import creates (the empty users
   * file) are written only when missing, even with {@code force}: `mailstream passwd` may have
   * filled them since the last import.
   */
  public void writeTo(Path out, boolean force) throws ImportException {
    List<Path> targets = new ArrayList<>();
    targets.add(out.resolve("mailstream.yaml"));
    copies.forEach(c -> targets.add(out.resolve(c.name())));
    if (!force) {
      for (int i = 0; i < targets.size(); i++) {
        Path t = targets.get(i);
        boolean itself = i > 0 && isSameFile(copies.get(i - 1).source(), t);
        if (Files.exists(t) && !itself) {
          throw new ImportException(t + ": already exists; use --force to replace it");
        }
      }
    }
    try {
      Files.createDirectories(out);
      for (MapFiles.Copy c : copies) {
        Path target = out.resolve(c.name());
        if (isSameFile(c.source(), target)) {
          continue;
        }
        if (c.secret()) {
          // AuthInfo holds passwords: the copy is private from its creation, as sendmail wants the original.
          Files.deleteIfExists(target);
          writePrivate(target, Files.readAllBytes(c.source()));
        } else {
          Files.copy(c.source(), target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      for (MapFiles.Created c : created) {
        Path target = out.resolve(c.name());
        if (Files.notExists(target)) {
          writePrivate(target, c.content().getBytes(StandardCharsets.UTF_8));
        }
      }
      Files.writeString(out.resolve("mailstream.yaml"), yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImportException(out + ": cannot write: " + e.getMessage(), e);
    }
  }

  // Owner-only from its creation, as `mailstream passwd` writes the users file.
  private static void writePrivate(Path target, byte[] content) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(target, content);
  }

  private static boolean isSameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
