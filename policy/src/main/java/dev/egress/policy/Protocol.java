package dev.egress.policy;

/** What the application attempted: a TCP connect, a UDP send/connect, or a name lookup. */
public enum Protocol {
  TCP,
  UDP,
  DNS
}
