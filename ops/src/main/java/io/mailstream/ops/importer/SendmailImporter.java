package io.mailstream.ops.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a sendmail.mc and the map files beside it into a mailstream.yaml: {@code mailstream
 * import-sendmail}. Reading and translating touch nothing; {@link ImportResult#writeTo} writes.
 */
public final class SendmailImporter {
  private SendmailImporter() {}

  /**
   * Reads {@code dir/sendmail.mc} (or {@code dir} itself when it is a file) and translates it.
   *
   * @param root where the absolute paths in the .mc are looked for: {@code /}, or a copy of the old
   *     machine's file system
   * @throws ImportException with one line naming the file and line, when the .mc cannot be read
   */
  public static ImportResult read(Path dir, Path root) throws ImportException {
    Path mc = Files.isRegularFile(dir) ? dir : dir.resolve("sendmail.mc");
    if (!Files.isRegularFile(mc)) {
      throw new ImportException(mc + ": not found");
    }
    Path mcDir = mc.toAbsolutePath().getParent();
    ImportContext ctx = new ImportContext(new MapFiles(mcDir, root));
    McTranslator translator = new McTranslator(ctx);
    McReader reader = new McReader(mc, text(mc), ctx::macro);
    for (McEvent e = reader.next(); e != null; e = reader.next()) {
      translator.handle(e);
    }
    translator.finish();
    // sendmail's defaults that the .mc relies on come first in the report, which the console
    // prints: they change what the machine does more than any single line does.
    List<ReportLine> defaults = translator.defaults();
    List<ReportLine> report = new ArrayList<>(defaults);
    report.addAll(ctx.report());
    List<String> header = new ArrayList<>();
    header.add("mailstream.yaml imported from sendmail.mc by mailstream import-sendmail. Each key says which");
    header.add("sendmail.mc line it came from; the report at the end lists what was not translated.");
    List<String> footer = new ArrayList<>();
    if (!report.isEmpty()) {
      footer.add("The import report:");
      report.forEach(r -> footer.add("  " + r));
    }
    return new ImportResult(ctx.draft.yaml(header, footer), ctx.files.copies(), ctx.files.created(), report);
  }

  // sendmail.mc files are mostly ASCII; older ones carry Latin-1 in their comments.
  static String text(Path mc) throws ImportException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(mc);
    } catch (IOException e) {
      throw new ImportException(mc + ": cannot read: " + e.getMessage(), e);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
