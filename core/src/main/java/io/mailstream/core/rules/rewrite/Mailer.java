package io.mailstream.core.rules.rewrite;

/**
 * The kind of sendmail mailer an address is rewritten for, because qualification differs: the SMTP
 * family ({@code smtp, esmtp, smtp8, dsmtp, relay}) always adds a domain to an unqualified address
 * (ruleset MasqSMTP), the {@code local} mailer only with FEATURE(always_add_domain) (ruleset
 * AddDomain in mailer/local.m4).
 */
public enum Mailer {
  /** smtp, esmtp, smtp8, dsmtp and relay: every address leaves fully qualified. */
  SMTP,
  /** local and prog: unqualified addresses stay so unless always_add_domain is set. */
  LOCAL
}
