package io.mailstream.core.rules.rewrite;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.rules.Trace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Rewrites the addresses in a stored message's header section as {@link HeaderEdit}s, so that the
 * body is never copied: only the octets of each changed addr-spec are replaced; display names,
 * comments, angle brackets, folding and every other octet stay as they were. A field that cannot
 * be read as an address list is left untouched and the trace says why.
 *
 * <p>The fields are those of sendmail's HdrInfo table (conf.c) that putheader() sends through the
 * mailer's header rulesets: the {@code H_FROM} fields as header senders, the {@code H_RCPT} fields
 * as header recipients. {@code Return-Receipt-To} is not among them (since 8.12 it is {@code
 * H_RECEIPTTO} only), nor is any other field.
 */
public final class HeaderAddressRewriter {
  /** The fields rewritten, by lower-case name: conf.c's H_FROM and H_RCPT fields. */
  static final Map<String, Position> FIELDS = Map.ofEntries(
      Map.entry("resent-sender", Position.HEADER_SENDER),
      Map.entry("resent-from", Position.HEADER_SENDER),
      Map.entry("resent-reply-to", Position.HEADER_SENDER),
      Map.entry("sender", Position.HEADER_SENDER),
      Map.entry("from", Position.HEADER_SENDER),
      Map.entry("reply-to", Position.HEADER_SENDER),
      Map.entry("errors-to", Position.HEADER_SENDER),
      Map.entry("to", Position.HEADER_RECIPIENT),
      Map.entry("resent-to", Position.HEADER_RECIPIENT),
      Map.entry("cc", Position.HEADER_RECIPIENT),
      Map.entry("resent-cc", Position.HEADER_RECIPIENT),
      // sendmail empties or drops Bcc fields on the way out (putheader, H_BCC); Mailstream passes
      // them on, so their addresses are rewritten like any other recipient field.
      Map.entry("bcc", Position.HEADER_RECIPIENT),
      Map.entry("resent-bcc", Position.HEADER_RECIPIENT),
      Map.entry("apparently-to", Position.HEADER_RECIPIENT));

  private HeaderAddressRewriter() {}

  /**
   * The edits for the header fields of {@code positions} in {@code headers[0, end)}, which starts at
   * offset 0 of the stored message (use {@link HeaderSection#length}). {@code rewrite} gets each
   * address with its position and returns it, or an equal address, when nothing changes.
   *
   * @param positions which kinds of fields to rewrite: {@link Position#HEADER_SENDER}, {@link
   *     Position#HEADER_RECIPIENT} or both
   */
  public static List<HeaderEdit> rewrite(byte[] headers, int end, Set<Position> positions,
      BiFunction<MailAddress, Position, MailAddress> rewrite, Trace trace) {
    for (Position p : positions) {
      if (!p.isHeader()) {
        throw new IllegalArgumentException(p + " is not a header position");
      }
    }
    List<HeaderEdit> edits = new ArrayList<>();
    for (HeaderSection.Field f : HeaderSection.fields(headers, end)) {
      if (f.name() == null) {
        trace.note("header line " + f.line() + ": not a header field; left untouched");
        continue;
      }
      Position p = FIELDS.get(f.key());
      if (p != null && positions.contains(p)) {
        field(headers, f, p, rewrite, trace, edits);
      }
    }
    return List.copyOf(edits);
  }

  /**
   * The edits sendmail's SMTP or local mailer would make: header senders through ruleset
   * HdrFromSMTP (masqueraded), header recipients through EnvToSMTP or, with allmasquerade,
   * HdrFromSMTP (at least qualified).
   */
  public static List<HeaderEdit> rewrite(byte[] headers, int end, Masquerader masquerader, Mailer mailer, Trace trace) {
    return rewrite(headers, end, EnumSet.of(Position.HEADER_SENDER, Position.HEADER_RECIPIENT),
        (a, p) -> masquerader.rewrite(a, p, mailer, trace), trace);
  }

  private static void field(
      byte[] b, HeaderSection.Field f, Position p, BiFunction<MailAddress, Position, MailAddress> rewrite,
      Trace trace, List<HeaderEdit> edits) {
    String where = "header " + f.name() + " (line " + f.line() + ")";
    List<AddressListParser.Found> found;
    try {
      found = AddressListParser.parse(b, f.bodyStart(), f.end());
    } catch (AddressListParser.ParseException e) {
      trace.note(where + ": cannot parse: " + e.getMessage() + "; left untouched");
      return;
    }
    for (AddressListParser.Found a : found) {
      MailAddress after = rewrite.apply(a.address(), p);
      if (after == null || after.equals(a.address())) {
        continue;
      }
      if (!a.contiguous()) {
        trace.note(where + ": " + a.address().bracketed()
            + " has comments or white space inside; not rewritten to " + after.bracketed());
        continue;
      }
      trace.note(where + ": " + a.address().bracketed() + " -> " + after.bracketed());
      edits.add(new HeaderEdit(a.start(), a.end() - a.start(), after.toString()));
    }
  }
}
