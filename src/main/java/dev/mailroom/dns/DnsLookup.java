package dev.mailroom.dns;

import java.net.InetAddress;

/**
 * The DNS questions Mailroom asks. Names are host names without a trailing dot, in any case;
 * answers follow CNAME chains. Implemented by the caching resolver for real lookups and by
 * in-memory zones in tests.
 */
public interface DnsLookup {
    /** TXT records, each with its character-strings joined (RFC 7208 3.3). */
    Answer<String> txt(String name);

    Answer<InetAddress> a(String name);

    Answer<InetAddress> aaaa(String name);

    Answer<MxHost> mx(String name);

    /** PTR names for an address (the reverse lookup under in-addr.arpa or ip6.arpa). */
    Answer<String> ptr(InetAddress address);

    /** The CNAME target of a name itself, not followed. */
    Answer<String> cname(String name);

    Answer<String> ns(String name);
}
