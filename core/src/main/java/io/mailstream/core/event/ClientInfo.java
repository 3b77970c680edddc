package io.mailstream.core.event;

/**
 * Who handed a message to Mailstream: what sendmail logs as {@code relay=host [ip]} and writes
 * into the Received header.
 *
 * @param helo the EHLO or HELO argument
 * @param address the client's IP address, without brackets
 * @param hostname the client's name from reverse DNS, or null when unknown
 * @param protocol the RFC 3848 WITH keyword: SMTP, ESMTP, ESMTPS, ESMTPA or ESMTPSA
 * @param authUser the authenticated user, or null
 */
public record ClientInfo(
    String helo, String address, String hostname, String protocol, String authUser) {}
