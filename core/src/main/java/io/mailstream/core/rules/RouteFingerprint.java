package io.mailstream.core.rules;

import io.mailstream.core.event.Destination;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A short hash of everything that decides the mailer and host of a recipient the router has
 * already expanded: class w, the mailertable, the SMART_HOST, the mailers' ports and MAIL_HUB. Every routed
 * recipient carries the fingerprint of the rules that routed it; a retry under rules with another
 * fingerprint is routed again first (sendmail routes again on every queue run), while a change that
 * cannot move a recipient (an access entry, an alias, masquerading) leaves queued mail alone.
 *
 * <p>Derived from the rules as built, not from the configuration version: a restart with another
 * {@code --smart-host} keeps the version (the command line is not part of it) but changes the route.
 */
final class RouteFingerprint {
  private RouteFingerprint() {}

  static String of(
      LocalHostNames local, MailerTable mailertable, Destination smartHost, Map<String, Integer> ports, String mailHub) {
    StringBuilder text = new StringBuilder();
    text.append("w ").append(new TreeSet<>(local.names())).append('\n');
    for (String entry : mailertable.decisions()) {
      text.append("mailertable ").append(entry).append('\n');
    }
    text.append("smart-host ").append(smartHost == null ? "-" : smartHost.key()).append('\n');
    text.append("ports ").append(new TreeMap<>(ports)).append('\n');
    if (mailHub != null) {
      // Only when set, so that rules without one keep the fingerprint they had before MAIL_HUB existed.
      text.append("mail-hub ").append(mailHub).append('\n');
    }
    return shortHash(text.toString());
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      // 12 hex digits: a log-friendly name; a collision only costs a missed re-route.
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
